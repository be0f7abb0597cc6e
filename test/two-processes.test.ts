import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkLedger } from '../src/ledger/invariants.ts';
import { TEST_DATABASE_URL, createTestDatabase, openDatabase } from './helpers/database.ts';
import { type LnpaydProcess, apiCall, spawnLnpayd } from './helpers/process.ts';

const SAK = 'sak_' + 'E'.repeat(32);
const PAK = 'pak_' + 'F'.repeat(32);

const call = (url: string, method: string, path: string, body?: unknown) => apiCall(url, SAK, method, path, body);

describe('two lnpayd processes on one PostgreSQL', { skip: TEST_DATABASE_URL ? false : 'needs LNPAYD_TEST_DATABASE_URL' }, () => {
  const dirs: string[] = [];
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let procs: LnpaydProcess[] = [];
  before(async () => {
    const database = await createTestDatabase();
    assert.ok(database);
    databaseUrl = database.url;
    drop = database.drop;
    for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), 'lnpayd-scale-')));
    procs = await Promise.all(
      dirs.map((dir) =>
        spawnLnpayd({ DATA_DIR: dir, DATABASE_URL: databaseUrl, LNPAYD_SECRET_KEY: SAK, LNPAYD_PUBLIC_KEY: PAK }),
      ),
    );
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('40 payments that each need the whole balance, split across both processes: exactly one succeeds', async () => {
    const [a, b] = procs as [LnpaydProcess, LnpaydProcess];
    const payer = (await call(a.url, 'POST', '/v1/wallet', { user_label: 'payer' })).body;
    const payee = (await call(b.url, 'POST', '/v1/wallet', { user_label: 'payee' })).body;
    const funding = await call(a.url, 'POST', `/v1/wallet/${payer.id}/invoice`, { num_satoshis: 100 });
    assert.equal((await call(a.url, 'POST', '/v1/sandbox/pay', { payment_request: funding.body.payment_request })).status, 200);
    const invoices = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(i % 2 ? a.url : b.url, 'POST', `/v1/wallet/${payee.id}/invoice`, { num_satoshis: 100 })),
    );
    const results = await Promise.all(
      invoices.map((inv, i) =>
        call(i % 2 ? b.url : a.url, 'POST', `/v1/wallet/${payer.id}/withdraw`, { payment_request: inv.body.payment_request }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.ok(results.every((r) => r.status === 201 || r.status === 400));
    const transfers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(i % 2 ? a.url : b.url, 'POST', `/v1/wallet/${payee.id}/transfer`, { dest_wallet_id: payer.id, num_satoshis: 10 }),
      ),
    );
    assert.equal(transfers.filter((r) => r.status === 201).length, 10);
    const db = await openDatabase(dirs[0] as string, databaseUrl);
    try {
      assert.deepEqual((await checkLedger(db)).problems, []);
    } finally {
      await db.close();
    }
  });
});
