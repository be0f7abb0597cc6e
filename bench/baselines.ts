/**
 * What lnpayd is compared with, measured in the same run: the signer it uses,
 * and the database doing the least a request could do (one insert
 * transaction; one debit+credit transaction over many accounts and on one hot
 * account), with the same driver and concurrency lnpayd has.
 */
import { randomBytes } from 'node:crypto';
import { createSigner, signerImplementation } from '../src/bolt11/index.ts';
import type { Db } from '../src/store/db.ts';
import { type CpuPerOp, type CpuSources, sampleCpu } from './cpu.ts';
import { OFFERED_RATE, atFixedRate, quantile } from './paced.ts';

export interface OpsResult {
  name: string;
  opsPerSec: number;
  count: number;
  /** Latency from when each operation was due, for the fixed offered load. */
  p50Ms?: number;
  p99Ms?: number;
  /** CPU milliseconds per operation, by process (database backends, this process as the driver). */
  cpuMsPerOp?: CpuPerOp;
}

export function measureSigner(seconds: number): OpsResult {
  const signer = createSigner(new Uint8Array(randomBytes(32)));
  const hashes = Array.from({ length: 256 }, () => new Uint8Array(randomBytes(32)));
  const run = (s: number) => {
    let count = 0;
    const start = performance.now();
    while (performance.now() < start + s * 1000) {
      for (const hash of hashes) signer.sign(hash);
      count += hashes.length;
    }
    return { count, elapsed: (performance.now() - start) / 1000 };
  };
  run(0.5);
  const { count, elapsed } = run(seconds);
  return { name: `secp256k1 sign (${signerImplementation})`, opsPerSec: count / elapsed, count };
}

/** Runs `op` from `workers` concurrent loops for `seconds`; ops/s over the whole window, and the CPU it took. */
async function throughput(
  seconds: number,
  workers: number,
  op: (i: number) => Promise<unknown>,
  cpu: CpuSources = {},
): Promise<{ opsPerSec: number; count: number; cpuMsPerOp: CpuPerOp }> {
  const cpuPerOp = sampleCpu(cpu);
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) await op(count++);
    }),
  );
  return { opsPerSec: count / ((performance.now() - start) / 1000), count, cpuMsPerOp: cpuPerOp(count) };
}

export const ACCOUNTS = 1000;

export async function measureDatabase(db: Db, label: string, seconds: number, workers: number, cpu: CpuSources): Promise<OpsResult[]> {
  await db.exec(`
    create table if not exists bench_rows (id text primary key, created_at bigint not null, payload text not null);
    create table if not exists bench_accounts (id int primary key, balance bigint not null check (balance >= 0));
  `);
  await db.query(
    'insert into bench_accounts (id, balance) select g, 1000000000000 from generate_series(0, $1::int) g on conflict do nothing',
    [ACCOUNTS],
  );
  const insert = () =>
    db.transaction((tx) =>
      tx.query('insert into bench_rows (id, created_at, payload) values ($1, $2, $3)', [
        randomBytes(12).toString('hex'),
        Date.now(),
        'lnbcrt' + 'x'.repeat(300),
      ]),
    );
  const debit = (from: number, to: number) =>
    db.transaction(async (tx) => {
      const [a, b] = from < to ? [from, to] : [to, from];
      await tx.query('update bench_accounts set balance = balance + $2 where id = $1', [a, a === from ? -1000 : 1000]);
      await tx.query('update bench_accounts set balance = balance + $2 where id = $1', [b, b === from ? -1000 : 1000]);
    });
  const pick = () => 1 + Math.floor(Math.random() * ACCOUNTS);
  await throughput(1, workers, insert);
  const inserts = await throughput(seconds, workers, insert, cpu);
  const insertsAtRate = await atFixedRate(OFFERED_RATE, seconds, async () => {
    await insert();
  });
  const spread = await throughput(seconds, workers, () => {
    const from = pick();
    let to = pick();
    while (to === from) to = pick();
    return debit(from, to);
  }, cpu);
  const hot = await throughput(seconds, workers, () => debit(0, pick()), cpu);
  return [
    { name: `${label}: insert transaction`, ...inserts },
    {
      name: `${label}: insert transaction at ${OFFERED_RATE}/s offered`,
      opsPerSec: insertsAtRate.latencies.length / insertsAtRate.elapsedSeconds,
      count: insertsAtRate.latencies.length,
      p50Ms: quantile(insertsAtRate.latencies, 0.5),
      p99Ms: quantile(insertsAtRate.latencies, 0.99),
    },
    { name: `${label}: debit+credit transaction, ${ACCOUNTS} accounts`, ...spread },
    { name: `${label}: debit+credit transaction, one hot account`, ...hot },
  ];
}
