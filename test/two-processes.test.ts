import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkLedger } from '../src/ledger/invariants.ts';
import { TEST_DATABASE_URL, createTestDatabase, openDatabase } from './helpers/database.ts';
import { type LnpaydProcess, apiCall, spawnLnpayd } from './helpers/process.ts';
import { eventually } from './helpers/receiver.ts';

const SAK = 'sak_' + 'E'.repeat(32);
const PAK = 'pak_' + 'F'.repeat(32);

const call = (url: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  apiCall(url, SAK, method, path, body, headers);
const statuses = (results: { status: number }[]) => results.map((r) => r.status).join();

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

  test('withdrawals, transfers and idempotent retries race through both processes: every 2xx is exactly one movement', async (t) => {
    const [a, b] = procs as [LnpaydProcess, LnpaydProcess];
    const via = (i: number) => (i % 2 ? a.url : b.url);
    const payer = (await call(a.url, 'POST', '/v1/wallet', { user_label: 'racer' })).body;
    const payee = (await call(b.url, 'POST', '/v1/wallet', { user_label: 'sink' })).body;
    const funding = await call(b.url, 'POST', `/v1/wallet/${payer.id}/invoice`, { num_satoshis: 1000 });
    assert.equal((await call(b.url, 'POST', '/v1/sandbox/pay', { payment_request: funding.body.payment_request })).status, 200);
    const invoices = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(via(i), 'POST', `/v1/wallet/${payee.id}/invoice`, { num_satoshis: 100 })),
    );
    // 20 × 100 + 20 × 50 + 10 × 30 sats asked of a 1000-sat wallet, each idempotency key sent 4 times, twice per process.
    const [withdrawals, transfers, retried] = await Promise.all([
      Promise.all(invoices.map((inv, i) => call(via(i + 1), 'POST', `/v1/wallet/${payer.id}/withdraw`, { payment_request: inv.body.payment_request }))),
      Promise.all(Array.from({ length: 20 }, (_, i) => call(via(i), 'POST', `/v1/wallet/${payer.id}/transfer`, { dest_wallet_id: payee.id, num_satoshis: 50 }))),
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call(via(i), 'POST', `/v1/wallet/${payer.id}/transfer`, { dest_wallet_id: payee.id, num_satoshis: 30 }, { 'Idempotency-Key': `race-${i % 10}` }),
        ),
      ),
    ]);
    assert.ok(withdrawals.every((r) => r.status === 201 || r.status === 400), statuses(withdrawals));
    assert.ok(transfers.every((r) => r.status === 201 || r.status === 400), statuses(transfers));
    assert.ok(retried.every((r) => [201, 400, 409].includes(r.status)), statuses(retried));
    for (let key = 0; key < 10; key++) {
      const answers = retried.filter((_, i) => i % 10 === key && retried[i]?.status === 201).map((r) => r.body.wtx_transfer_out.id);
      assert.ok(new Set(answers).size <= 1, `key race-${key} answered with ${answers.join()}`);
    }
    const paidIds = withdrawals.filter((r) => r.status === 201).map((r) => r.body.id as string);
    const sentIds = [...transfers, ...retried].filter((r) => r.status === 201).map((r) => r.body.wtx_transfer_out.id as string);
    const listed = (await call(a.url, 'GET', `/v1/wallet/${payer.id}/transactions?per-page=500`)).body as { id: string; num_satoshis: number; wtxType: { name: string } }[];
    const listedIds = (type: string) => listed.filter((w) => w.wtxType.name === type).map((w) => w.id).sort();
    assert.deepEqual(listedIds('ln_withdrawal'), [...new Set(paidIds)].sort());
    assert.equal(paidIds.length, new Set(paidIds).size, 'no invoice paid twice');
    assert.deepEqual(listedIds('ln_transfer_out'), [...new Set(sentIds)].sort());
    const spent = listed.filter((w) => w.wtxType.name !== 'ln_deposit').reduce((sum, w) => sum + Math.abs(w.num_satoshis), 0);
    const payerBalance = (await call(b.url, 'GET', `/v1/wallet/${payer.id}`)).body.balance as number;
    const payeeBalance = (await call(a.url, 'GET', `/v1/wallet/${payee.id}`)).body.balance as number;
    assert.ok(payerBalance >= 0);
    assert.equal(payerBalance, 1000 - spent);
    assert.equal(payeeBalance, spent);
    const db = await openDatabase(dirs[0] as string, databaseUrl);
    try {
      assert.deepEqual((await checkLedger(db)).problems, []);
    } finally {
      await db.close();
    }
    const twoXX = [...withdrawals, ...transfers, ...retried].filter((r) => r.status === 201).length;
    t.diagnostic(
      `races: ${withdrawals.length + transfers.length + retried.length} requests over 2 processes; ${twoXX} answered 201 (idempotent replays included), ` +
        `${paidIds.length} withdrawals + ${new Set(sentIds).size} transfers moved money (${spent} of 1000 sats), the rest refused`,
    );
  });

  test('a payment held by one process’s embedded node is resolved by that process only, never refunded by the other', async () => {
    const [a, b] = procs as [LnpaydProcess, LnpaydProcess];
    const payer = (await call(a.url, 'POST', '/v1/wallet', { user_label: 'held payer' })).body;
    const funding = await call(a.url, 'POST', `/v1/wallet/${payer.id}/invoice`, { num_satoshis: 100 });
    assert.equal((await call(a.url, 'POST', '/v1/sandbox/pay', { payment_request: funding.body.payment_request })).status, 200);
    // Held past the recovery grace (15 s): b's recovery loop (every 5 s) sees it pending meanwhile, but a's node sent it.
    const held = await call(a.url, 'POST', '/v1/sandbox/invoice', { num_satoshis: 50, hold_seconds: 22 });
    const answer = await call(a.url, 'POST', `/v1/wallet/${payer.id}/withdraw`, { payment_request: held.body.payment_request });
    assert.equal(answer.status, 202, 'still in flight when the request gives up waiting');
    const db = await openDatabase(dirs[0] as string, databaseUrl);
    try {
      const status = await eventually(async () => {
        const [row] = await db.query<{ status: string }>('select status from payments where payment_hash = $1', [
          held.body.r_hash_decoded,
        ]);
        return row?.status !== 'pending' && row?.status;
      }, 45_000);
      assert.equal(status, 'succeeded');
      assert.deepEqual((await checkLedger(db)).problems, []);
    } finally {
      await db.close();
    }
    const balance = (await call(b.url, 'GET', `/v1/wallet/${payer.id}`)).body.balance as number;
    assert.ok(balance < 50, `the 50 sats and the fee stay paid (balance ${balance})`);
  });
});
