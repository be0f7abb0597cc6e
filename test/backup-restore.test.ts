/**
 * Backup and restore as README's Operations section describes them: a stopped
 * copy of DATA_DIR for PGlite; pg_dump -Fc / pg_restore plus DATA_DIR's
 * node files for PostgreSQL. The restored instance must pass the ledger
 * check, accept the old root and wallet keys, show the same balances, and
 * still be the node that signed the old invoices.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { checkLedger } from '../src/ledger/invariants.ts';
import { TEST_DATABASE_URL, createTestDatabase, newDataDir, openDatabase } from './helpers/database.ts';
import { apiCall, spawnLnpayd } from './helpers/process.ts';

const run = promisify(execFile);

interface Snapshot {
  sak: string;
  pak: string;
  a: { id: string; admin: string; balance: number };
  b: { id: string; read: string; balance: number };
  /** An invoice of b's, unpaid at backup time: only the same node key can settle it after the restore. */
  unpaid: string;
}

/** Money moved every way the embedded node allows; returns what the restored instance must still know. */
async function populate(url: string, dataDir: string): Promise<Snapshot> {
  const { secretKey: sak, publicKey: pak } = JSON.parse(await readFile(join(dataDir, 'root-keys.json'), 'utf8'));
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await apiCall(url, key, method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const [a, b] = [await call(sak, 'POST', '/v1/wallet', { user_label: 'a' }), await call(sak, 'POST', '/v1/wallet', { user_label: 'b' })];
  const funding = await call(sak, 'POST', `/v1/wallet/${a.id}/invoice`, { num_satoshis: 1000 });
  await call(sak, 'POST', '/v1/sandbox/pay', { payment_request: funding.payment_request });
  await call(sak, 'POST', `/v1/wallet/${a.id}/transfer`, { dest_wallet_id: b.id, num_satoshis: 300 });
  const internal = await call(sak, 'POST', `/v1/wallet/${a.id}/invoice`, { num_satoshis: 100 });
  await call(sak, 'POST', `/v1/wallet/${b.id}/withdraw`, { payment_request: internal.payment_request });
  const outside = await call(sak, 'POST', '/v1/sandbox/invoice', { num_satoshis: 50 });
  await call(sak, 'POST', `/v1/wallet/${a.id}/withdraw`, { payment_request: outside.payment_request });
  const unpaid = await call(sak, 'POST', `/v1/wallet/${b.id}/invoice`, { num_satoshis: 77 });
  const balance = async (id: string) => (await call(sak, 'GET', `/v1/wallet/${id}`)).balance as number;
  return {
    sak,
    pak,
    a: { id: a.id, admin: a.access_keys['Wallet Admin'][0], balance: await balance(a.id) },
    b: { id: b.id, read: b.access_keys['Wallet Read'][0], balance: await balance(b.id) },
    unpaid: unpaid.payment_request,
  };
}

/** Starts lnpayd on the restored data and checks it is the same instance. */
async function verifyRestored(env: Record<string, string>, s: Snapshot): Promise<string> {
  const lnpayd = await spawnLnpayd(env);
  try {
    const wallets = await apiCall(lnpayd.url, s.sak, 'GET', '/v1/wallets');
    assert.equal(wallets.status, 200, 'the old secret key works');
    assert.deepEqual(wallets.body.map((w: { id: string }) => w.id).sort(), [s.a.id, s.b.id].sort());
    const a = await apiCall(lnpayd.url, s.pak, 'GET', `/v1/wallet/${s.a.admin}`);
    assert.equal(a.status, 200, 'the old public key and wallet admin key work');
    assert.equal(a.body.balance, s.a.balance);
    assert.equal((await apiCall(lnpayd.url, s.pak, 'GET', `/v1/wallet/${s.b.read}`)).body.balance, s.b.balance);
    assert.equal((await apiCall(lnpayd.url, s.sak, 'POST', '/v1/sandbox/pay', { payment_request: s.unpaid })).status, 200, 'same node key');
    const transfer = await apiCall(lnpayd.url, s.pak, 'POST', `/v1/wallet/${s.a.admin}/transfer`, { dest_wallet_id: s.b.id, num_satoshis: 10 });
    assert.equal(transfer.status, 201);
    assert.equal((await apiCall(lnpayd.url, s.sak, 'GET', `/v1/wallet/${s.b.id}`)).body.balance, s.b.balance + 77 + 10);
  } finally {
    await lnpayd.stop();
  }
  const db = await openDatabase(env.DATA_DIR ?? '', env.DATABASE_URL);
  try {
    const report = await checkLedger(db);
    assert.deepEqual(report.problems, []);
    return `balances ${s.a.balance} + ${s.b.balance} sats restored, keys work, ledger check clean`;
  } finally {
    await db.close();
  }
}

/** The newest PostgreSQL client tools Debian installed. */
function pgTool(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((x, y) => Number(y) - Number(x));
  const found = versions.map((v) => `/usr/lib/postgresql/${v}/bin/${name}`).find((p) => existsSync(p));
  assert.ok(found, `${name} not found under /usr/lib/postgresql/*/bin`);
  return found;
}

describe('backup and restore', () => {
  test('PGlite: a copy of the stopped DATA_DIR is a working instance', async (t) => {
    const original = await newDataDir('lnpayd-backup-');
    const restored = await mkdtemp(join(tmpdir(), 'lnpayd-restored-'));
    try {
      const lnpayd = await spawnLnpayd({ DATA_DIR: original });
      const snapshot = await populate(lnpayd.url, original);
      await lnpayd.stop();
      await cp(original, restored, { recursive: true });
      t.diagnostic(`PGlite: ${await verifyRestored({ DATA_DIR: restored }, snapshot)}`);
    } finally {
      await rm(original, { recursive: true, force: true });
      await rm(restored, { recursive: true, force: true });
    }
  });

  test('PostgreSQL: pg_dump -Fc, pg_restore into a fresh database, node files from DATA_DIR', { skip: TEST_DATABASE_URL ? false : 'needs LNPAYD_TEST_DATABASE_URL' }, async (t) => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    assert.ok(source && target);
    const original = await mkdtemp(join(tmpdir(), 'lnpayd-backup-'));
    const restored = await mkdtemp(join(tmpdir(), 'lnpayd-restored-'));
    try {
      const lnpayd = await spawnLnpayd({ DATA_DIR: original, DATABASE_URL: source.url });
      const snapshot = await populate(lnpayd.url, original);
      await lnpayd.stop();
      const dump = join(original, 'lnpayd.dump');
      await run(pgTool('pg_dump'), ['-Fc', '-f', dump, '-d', source.url]);
      await run(pgTool('pg_restore'), ['--no-owner', '-d', target.url, dump]);
      // Not root-keys.json: the database holds the keys' hashes, which is what makes them work.
      for (const file of ['node.key', 'embedded-node.journal']) await copyFile(join(original, file), join(restored, file));
      t.diagnostic(`PostgreSQL: ${await verifyRestored({ DATA_DIR: restored, DATABASE_URL: target.url }, snapshot)}`);
    } finally {
      await source.drop();
      await target.drop();
      await rm(original, { recursive: true, force: true });
      await rm(restored, { recursive: true, force: true });
    }
  });
});
