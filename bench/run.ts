/**
 * lnpayd benchmark: `npm run bench` (node --import tsx bench/run.ts).
 *
 * Measures, against 127.0.0.1 only, with autocannon at 50 connections:
 *   1. a bare Fastify server answering a tiny JSON POST (child process),
 *   2. lnpayd invoice creation with real auth (child process; embedded PGlite
 *      in a fresh temp DATA_DIR, and also PostgreSQL when BENCH_DATABASE_URL is set:
 *      a fresh database lnpayd_bench_<random> is created there and dropped after),
 *   3. the secp256k1 signer lnpayd uses, signing 32-byte hashes in a loop,
 * and the ratios of (2) to (1) and (3). Prints a table and writes
 * bench/results/latest.json. A measurement, not a test: nothing is asserted.
 *
 * Environment: BENCH_SECONDS (per load measurement, default 10),
 * BENCH_DATABASE_URL (optional postgres:// URL of a server where databases may be created).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createSigner, signerImplementation } from '../src/bolt11/index.ts';
import { type LoadResult, load } from './autocannon.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = join(BENCH_DIR, '..');
const SECONDS = secondsFromEnv('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 2;
const SIGNER_SECONDS = 2;
const CONNECTIONS = 50;
const INVOICE_BODY = JSON.stringify({ num_satoshis: 5, memo: 'bench' });

interface HttpResult {
  name: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

interface LnpaydResult extends HttpResult {
  database: 'pglite' | 'postgres';
  /** Status of one invoice request made before the load, and its body when it was not 201. */
  probe: { status: number; body?: string };
  /** Lines lnpayd wrote to its error log (stderr, LOG_LEVEL=error) during the run. */
  serverErrorLogLines: number;
  serverErrorLogSample: string[];
  ratioToBareFastify: number;
  ratioToSigner: number;
}

interface SignerResult {
  name: string;
  implementation: string;
  opsPerSec: number;
  signatures: number;
}

interface Server<Info> {
  info: Info;
  child: ChildProcess;
  /** stderr: line count and the first few lines. */
  stderr: { lines: number; head: string[] };
}

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 600) throw new Error(`${name} must be 1..600 seconds, got "${raw}"`);
  return value;
}

function randomAlnum(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

const children = new Set<ChildProcess>();

/** Starts `bench/<script>` under tsx and waits for its one-line JSON announcement on stdout. */
async function startServer<Info>(script: string, env: Record<string, string>): Promise<Server<Info>> {
  const baseEnv = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, script)], {
    cwd: ROOT_DIR,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stderr = { lines: 0, head: [] as string[] };
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (stderr.lines++ < 20) stderr.head.push(line);
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${script} exited (code ${String(code)}) before it was ready:\n${stderr.head.join('\n')}`);
  });
  const timeout = AbortSignal.timeout(60_000);
  try {
    const [line] = (await Promise.race([once(lines, 'line', { signal: timeout }), exited])) as [string];
    return { info: JSON.parse(line) as Info, child, stderr };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

function summarize(name: string, r: LoadResult): HttpResult {
  return {
    name,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

function post(url: string, headers: Record<string, string> = {}) {
  return load({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: INVOICE_BODY,
    connections: CONNECTIONS,
    duration: SECONDS,
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
  });
}

async function measureBareFastify(): Promise<HttpResult> {
  const server = await startServer<{ url: string }>('bare.ts', {});
  try {
    return summarize('bare Fastify POST /echo', await post(`${server.info.url}/echo`));
  } finally {
    await stopChild(server.child);
  }
}

function measureSigner(): SignerResult {
  const signer = createSigner(new Uint8Array(randomBytes(32)));
  const hashes = Array.from({ length: 256 }, () => new Uint8Array(randomBytes(32)));
  const run = (seconds: number) => {
    let signatures = 0;
    const start = performance.now();
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      for (const hash of hashes) signer.sign(hash);
      signatures += hashes.length;
    }
    return { signatures, elapsed: (performance.now() - start) / 1000 };
  };
  run(0.5); // warm-up
  const { signatures, elapsed } = run(SIGNER_SECONDS);
  return {
    name: `secp256k1 sign (${signerImplementation})`,
    implementation: signer.implementation,
    opsPerSec: signatures / elapsed,
    signatures,
  };
}

async function postOnce(url: string, apiKey: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** A pino JSON line as "msg: error message", anything else as is; at most 200 characters. */
function describeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return `${entry.msg ?? ''}: ${entry.err?.message ?? ''}`.slice(0, 200);
  } catch {
    return line.slice(0, 200);
  }
}

async function measureLnpayd(
  database: LnpaydResult['database'],
  databaseUrl: string | undefined,
  baselines: { bare: HttpResult; signer: SignerResult },
): Promise<LnpaydResult> {
  const dataDir = await mkdtemp(join(os.tmpdir(), 'lnpayd-bench-'));
  const secretKey = `sak_${randomAlnum(32)}`;
  const publicKey = `pak_${randomAlnum(32)}`;
  try {
    const server = await startServer<{ url: string }>('serve.ts', {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      LNPAYD_SECRET_KEY: secretKey,
      LNPAYD_PUBLIC_KEY: publicKey,
      LOG_LEVEL: 'error',
    });
    try {
      const { url } = server.info;
      const created = await postOnce(`${url}/v1/wallet`, secretKey, JSON.stringify({ user_label: 'bench' }));
      if (created.status !== 201) throw new Error(`POST /v1/wallet answered ${created.status}: ${created.text}`);
      const wallet = JSON.parse(created.text) as { access_keys?: Record<string, string[] | undefined> };
      const walletKey = wallet.access_keys?.['Wallet Invoice']?.[0];
      if (!walletKey) throw new Error(`wallet has no "Wallet Invoice" key: ${created.text}`);
      const invoiceUrl = `${url}/v1/wallet/${walletKey}/invoice`;
      const probe = await postOnce(invoiceUrl, publicKey, INVOICE_BODY);
      if (probe.status !== 201) console.log(`  probe invoice answered ${probe.status}: ${probe.text.slice(0, 200)}`);
      const result = summarize(`lnpayd POST invoice (${database})`, await post(invoiceUrl, { 'x-api-key': publicKey }));
      return {
        ...result,
        database,
        probe: probe.status === 201 ? { status: probe.status } : { status: probe.status, body: probe.text },
        serverErrorLogLines: server.stderr.lines,
        serverErrorLogSample: server.stderr.head.slice(0, 5).map(describeLogLine),
        ratioToBareFastify: result.reqPerSec / baselines.bare.reqPerSec,
        ratioToSigner: result.reqPerSec / baselines.signer.opsPerSec,
      };
    } finally {
      await stopChild(server.child);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs `fn` against a fresh database on the BENCH_DATABASE_URL server, dropped afterwards. */
async function withFreshDatabase<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `lnpayd_bench_${randomAlnum(10).toLowerCase()}`;
  try {
    await sql`create database ${sql(name)}`;
    try {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return await fn(url.toString());
    } finally {
      await sql`drop database if exists ${sql(name)} with (force)`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function printTable(bare: HttpResult, signer: SignerResult, lnpayd: LnpaydResult[]): void {
  const n = (v: number, digits = 0) =>
    v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const http = (r: HttpResult) => [n(r.reqPerSec), n(r.p50Ms), n(r.p99Ms), n(r.maxMs), n(r.requests), n(r.non2xx), n(r.errors)];
  const header = ['measurement', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'count', 'non-2xx', 'errors', 'err logs', '÷ bare', '÷ signer'];
  const rows: string[][] = [
    [bare.name, ...http(bare), '', '', ''],
    [signer.name, n(signer.opsPerSec), '', '', '', n(signer.signatures), '', '', '', '', ''],
    ...lnpayd.map((r) => [
      r.name, ...http(r), n(r.serverErrorLogLines), n(r.ratioToBareFastify, 4), n(r.ratioToSigner, 4),
    ]),
  ];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(['', format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format), ''].join('\n'));
  for (const r of lnpayd) {
    if (r.non2xx + r.errors > 0) console.log(`${r.name}: status codes ${JSON.stringify(r.statusCodes)}, errors ${r.errors}`);
    for (const line of new Set(r.serverErrorLogSample)) console.log(`${r.name}: error log: ${line}`);
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL || undefined;
  console.log(
    `lnpayd bench: ${SECONDS}s per load measurement (+${WARMUP_SECONDS}s warm-up), ${CONNECTIONS} connections, ` +
      `databases: pglite${adminUrl ? ' + postgres' : ''}`,
  );
  console.log('measuring bare Fastify …');
  const bare = await measureBareFastify();
  console.log('measuring signer …');
  const signer = measureSigner();
  const lnpayd: LnpaydResult[] = [];
  console.log('measuring lnpayd (pglite) …');
  lnpayd.push(await measureLnpayd('pglite', undefined, { bare, signer }));
  if (adminUrl) {
    console.log('measuring lnpayd (postgres) …');
    lnpayd.push(await withFreshDatabase(adminUrl, (url) => measureLnpayd('postgres', url, { bare, signer })));
  }
  printTable(bare, signer, lnpayd);

  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      totalMemoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    settings: { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, signerSeconds: SIGNER_SECONDS, connections: CONNECTIONS },
    bareFastify: bare,
    signer,
    lnpayd,
  };
  const resultsDir = join(BENCH_DIR, 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, 'latest.json');
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`results written to ${file}`);
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
