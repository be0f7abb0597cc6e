/**
 * lnpayd benchmark: `npm run bench`. Everything targets 127.0.0.1 and stops by itself.
 *
 * In one run, for embedded PGlite and (with BENCH_DATABASE_URL) PostgreSQL:
 *   baselines — bare Fastify JSON (child process), the secp256k1 signer, and the
 *     database's own insert and debit+credit transaction rates (same driver, 16 clients);
 *   lnpayd — what `npm start` runs (the build in dist/) as a child process, real auth, under
 *     autocannon (50 connections): invoice creation, internal payments, transfers (many pairs;
 *     one hot wallet), reads, p99 at 500 req/s offered (paced.ts); its RSS after the load and
 *     its cold start to a 200 on /health.
 * Each figure carries the CPU it cost per operation, by process (cpu.ts).
 * Prints each figure with its ratio to its baseline and the target, and writes
 * bench/results/latest.json. A measurement, not a test: nothing is asserted.
 *
 * Environment: BENCH_SECONDS (per measurement, default 10), BENCH_DATABASE_URL (a
 * postgres:// server where a fresh database may be created; it is dropped after).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Db } from '../src/store/db.ts';
import { openPglite } from '../src/store/pglite.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { load } from './autocannon.ts';
import { measureDatabase, measureSigner, type OpsResult } from './baselines.ts';
import { OFFERED_RATE } from './paced.ts';
import { BENCH_DIR, rssMiB, startChild, startLnpayd, stopAll, stopChild } from './children.ts';
import { type CpuSources, databaseCpuSeconds, machineBusyShare, ownCpuSeconds, processCpuSeconds } from './cpu.ts';
import { type HttpResult, type LoadPlan, type Target, runScenarios, summarize } from './scenarios.ts';

const plan: LoadPlan = { seconds: secondsFromEnv('BENCH_SECONDS', 10), connections: 50, warmupSeconds: 2 };
/** Above this share of the CPU busy before the run, the run measures other work too. */
const BUSY_WARNING = 0.1;

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 600) throw new Error(`${name} must be 1..600 seconds, got "${raw}"`);
  return value;
}

const alnum = (n: number) => randomBytes(n).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(n, 'x').slice(0, n);

interface DatabaseRun {
  database: 'pglite' | 'postgres';
  baselines: OpsResult[];
  lnpayd: HttpResult[];
  rssAfterLoadMiB: number;
  /** To the first 200 on /health: on a fresh DATA_DIR and database, then restarted on them. */
  coldMs: number;
  restartMs: number;
  targets: { check: string; value: number; target: string; met: boolean }[];
}

async function measureBare(): Promise<HttpResult> {
  const server = await startChild<{ url: string }>('bare.ts', {});
  try {
    const r = await load({
      url: `${server.info.url}/echo`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"num_satoshis":5}',
      connections: plan.connections,
      duration: plan.seconds,
      warmup: { connections: plan.connections, duration: plan.warmupSeconds },
    });
    return summarize('bare Fastify JSON POST', r);
  } finally {
    await stopChild(server.child);
  }
}

/** Where lnpayd and the baselines keep their data: a URL and a database name each on PostgreSQL, in-process on PGlite. */
interface BenchDatabases {
  lnpayd?: { url: string; name: string };
  baseline: { open: () => Promise<Db>; name?: string };
}

async function withDatabase<T>(kind: DatabaseRun['database'], adminUrl: string | undefined, fn: (dbs: BenchDatabases) => Promise<T>): Promise<T> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(os.tmpdir(), 'lnpayd-bench-db-'));
    try {
      return await fn({ baseline: { open: () => openPglite(join(dir, 'baseline')) } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const admin = postgres(adminUrl as string, { max: 1, onnotice: () => {} });
  const [lnpayd, baseline] = [`lnpayd_bench_${alnum(8).toLowerCase()}`, `lnpayd_base_${alnum(8).toLowerCase()}`];
  const names = [lnpayd, baseline];
  const urlOf = (name: string) => Object.assign(new URL(adminUrl as string), { pathname: `/${name}` }).toString();
  try {
    for (const name of names) await admin.unsafe(`create database ${name}`);
    return await fn({
      lnpayd: { url: urlOf(lnpayd), name: lnpayd },
      baseline: { open: () => openPostgres(urlOf(baseline), 16), name: baseline },
    });
  } finally {
    for (const name of names) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

async function measure(kind: DatabaseRun['database'], adminUrl: string | undefined, signer: OpsResult): Promise<DatabaseRun> {
  return withDatabase(kind, adminUrl, async (dbs) => {
    console.log(`  ${kind}: database baselines …`);
    const baselineDb = await dbs.baseline.open();
    const baseName = dbs.baseline.name;
    const baselineCpu: CpuSources = baseName
      ? { database: () => databaseCpuSeconds(baseName), driver: ownCpuSeconds }
      : { 'bench process (driver and PGlite)': ownCpuSeconds };
    const baselines = await measureDatabase(baselineDb, kind, plan.seconds, 16, baselineCpu).finally(() => baselineDb.close());
    const lnpaydUrl = dbs.lnpayd?.url;
    const dataDir = await mkdtemp(join(os.tmpdir(), 'lnpayd-bench-'));
    const keys = { secretKey: `sak_${alnum(32)}`, publicKey: `pak_${alnum(32)}` };
    try {
      console.log(`  ${kind}: lnpayd …`);
      const env = {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        LNPAYD_SECRET_KEY: keys.secretKey,
        LNPAYD_PUBLIC_KEY: keys.publicKey,
        ...(lnpaydUrl ? { DATABASE_URL: lnpaydUrl } : {}),
      };
      const server = await startLnpayd(env);
      const loaded = await (async () => {
        const pid = server.child.pid as number;
        const lnpaydName = dbs.lnpayd?.name;
        const cpu: CpuSources = lnpaydName
          ? { lnpayd: () => processCpuSeconds(pid), database: () => databaseCpuSeconds(lnpaydName), loader: ownCpuSeconds }
          : { 'lnpayd (and PGlite)': () => processCpuSeconds(pid), loader: ownCpuSeconds };
        const target: Target = { url: server.info.url, ...keys, cpu };
        const lnpayd = await runScenarios(target, plan, `lnpayd ${kind}`);
        return { lnpayd, rssAfterLoadMiB: await rssMiB(server.child) };
      })().finally(() => stopChild(server.child));
      // Started again on the same DATA_DIR and database, as a service manager restarts it: no initdb, no migrations.
      const again = await startLnpayd(env);
      await stopChild(again.child);
      const start = { coldMs: server.startMs, restartMs: again.startMs };
      return {
        database: kind,
        baselines,
        ...loaded,
        ...start,
        targets: targetsOf(loaded.lnpayd, baselines, signer, loaded.rssAfterLoadMiB, start),
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}

function targetsOf(
  lnpayd: HttpResult[],
  baselines: OpsResult[],
  signer: OpsResult,
  rss: number,
  start: { coldMs: number; restartMs: number },
) {
  const rate = (suffix: string) => lnpayd.find((r) => r.name.endsWith(suffix));
  const [insert, insertAtRate, spread, hot] = baselines as [OpsResult, OpsResult, OpsResult, OpsResult];
  const ratio = (check: string, suffix: string, base: number, min: number) => {
    const value = (rate(suffix)?.reqPerSec ?? 0) / base;
    return { check, value, target: `≥ ${min}`, met: value >= min };
  };
  const p99 = (check: string, suffix: string) => {
    const value = rate(suffix)?.p99Ms ?? Infinity;
    return { check, value, target: '< 10 ms', met: value < 10 };
  };
  return [
    ratio('invoice ÷ min(signer, insert tx)', ': create invoice', Math.min(signer.opsPerSec, insert.opsPerSec), 0.6),
    ratio('internal invoice payment ÷ debit tx (many accounts)', ': pay internal invoice, many wallet pairs', spread.opsPerSec, 0.6),
    ratio('transfer ÷ debit tx (many accounts)', ': transfer, many wallet pairs', spread.opsPerSec, 0.6),
    ratio('hot-wallet transfer ÷ debit tx (one hot account)', ': transfer, all from one hot wallet', hot.opsPerSec, 0.5),
    p99(`invoice p99 at ${OFFERED_RATE} req/s (insert tx alone: ${(insertAtRate.p99Ms ?? 0).toFixed(1)} ms)`, `: create invoice at ${OFFERED_RATE} req/s offered`),
    p99(`transfer p99 at ${OFFERED_RATE} req/s`, `: transfer at ${OFFERED_RATE} req/s offered`),
    { check: 'RSS after load (MiB)', value: rss, target: '< 200', met: rss < 200 },
    { check: 'cold start to /health 200, fresh data (ms)', value: start.coldMs, target: '< 2000', met: start.coldMs < 2000 },
    { check: 'cold start to /health 200, restart on existing data (ms)', value: start.restartMs, target: '< 2000', met: start.restartMs < 2000 },
  ];
}

function printReport(bare: HttpResult, signer: OpsResult, runs: DatabaseRun[]): void {
  const n = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const cpu = (split: Record<string, number> | undefined) =>
    split ? Object.values(split).map((ms) => n(ms, 2)).join(' / ') : '';
  const rows: string[][] = [['measurement', 'ops/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'CPU ms per op']];
  rows.push([bare.name, n(bare.reqPerSec), n(bare.p50Ms), n(bare.p99Ms), n(bare.non2xx), n(bare.errors), '']);
  rows.push([signer.name, n(signer.opsPerSec), '', '', '', '', '']);
  for (const run of runs) {
    for (const b of run.baselines) {
      const latency = (ms: number | undefined) => (ms === undefined ? '' : n(ms, 1));
      rows.push([b.name, n(b.opsPerSec), latency(b.p50Ms), latency(b.p99Ms), '', '', cpu(b.cpuMsPerOp)]);
    }
    for (const r of run.lnpayd) {
      rows.push([r.name, n(r.reqPerSec), n(r.p50Ms, 1), n(r.p99Ms, 1), n(r.non2xx), n(r.errors), cpu(r.cpuMsPerRequest)]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(['', ...rows.map(line)].join('\n'));
  const splits = runs.flatMap((run) => [
    ...run.baselines.map((b) => b.cpuMsPerOp),
    ...run.lnpayd.map((r) => r.cpuMsPerRequest),
  ]);
  const legends = new Set(splits.map((split) => Object.keys(split ?? {}).join(' / ')).filter(Boolean));
  console.log(`\nCPU ms per op, by process: ${[...legends].join('; ')}`);
  for (const r of runs.flatMap((run) => run.lnpayd)) {
    if (!r.loopDelay) continue;
    const { lnpayd, generator } = r.loopDelay;
    console.log(
      `${r.name}: event-loop delay p99 / max, lnpayd ${n(lnpayd.p99Ms, 1)} / ${n(lnpayd.maxMs, 1)} ms (10 ms sampling included), load generator ${n(generator.p99Ms, 1)} / ${n(generator.maxMs, 1)} ms (1 ms included)`,
    );
  }
  for (const run of runs) {
    console.log(`\n${run.database}: ratios and targets`);
    for (const t of run.targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.check}: ${n(t.value, 3)} (target ${t.target})`);
    for (const r of run.lnpayd.filter((x) => x.non2xx + x.errors > 0)) {
      console.log(`  ${r.name}: status codes ${JSON.stringify(r.statusCodes)}, errors ${r.errors}`);
    }
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL || undefined;
  console.log(`lnpayd bench: ${plan.seconds}s per measurement, ${plan.connections} connections, pglite${adminUrl ? ' + postgres' : ''}`);
  const busyBefore = await machineBusyShare(1000);
  console.log(`machine before the run: ${Math.round(busyBefore * 100)} % of its CPU busy with other work`);
  if (busyBefore > BUSY_WARNING) console.log('WARNING: other processes are using the CPU; every figure of this run will be low');
  console.log('bare Fastify …');
  const bare = await measureBare();
  console.log('signer …');
  const signer = measureSigner(2);
  const runs: DatabaseRun[] = [await measure('pglite', undefined, signer)];
  if (adminUrl) runs.push(await measure('postgres', adminUrl, signer));
  printReport(bare, signer, runs);
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      busyBefore,
    },
    plan,
    bare,
    signer,
    runs,
  };
  const dir = join(BENCH_DIR, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nresults written to ${join(dir, 'latest.json')}`);
}

process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
try {
  await main();
} catch (err) {
  process.exitCode = 1;
  console.error(err);
} finally {
  await stopAll();
}
