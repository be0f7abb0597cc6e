import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { checkLedger } from '../src/ledger/invariants.ts';
import { RECOVERY_GRACE_SECONDS } from '../src/services/recoverPayments.ts';
import { createTestDatabase, newDataDir, openDatabase } from './helpers/database.ts';
import { apiCall, spawnLnpayd } from './helpers/process.ts';

const SAK = 'sak_' + 'C'.repeat(32);
const PAK = 'pak_' + 'D'.repeat(32);

const call = (url: string, method: string, path: string, body?: unknown) => apiCall(url, SAK, method, path, body);

describe('kill -9 in the middle of payments', () => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    dataDir = await newDataDir('lnpayd-crash-');
    const database = await createTestDatabase();
    databaseUrl = database?.url;
    drop = database?.drop;
  });
  after(async () => {
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('after a restart every payment is either completed or refunded, and the ledger balances', async () => {
    const env = {
      DATA_DIR: dataDir,
      LNPAYD_SECRET_KEY: SAK,
      LNPAYD_PUBLIC_KEY: PAK,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    const first = await spawnLnpayd(env);
    const payer = (await call(first.url, 'POST', '/v1/wallet', { user_label: 'payer' })).body;
    const payee = (await call(first.url, 'POST', '/v1/wallet', { user_label: 'payee' })).body;
    const funding = await call(first.url, 'POST', `/v1/wallet/${payer.id}/invoice`, { num_satoshis: 100_000 });
    assert.equal((await call(first.url, 'POST', '/v1/sandbox/pay', { payment_request: funding.body.payment_request })).status, 200);

    const invoices: string[] = [];
    for (let i = 0; i < 8; i++) {
      const held = await call(first.url, 'POST', '/v1/sandbox/invoice', { num_satoshis: 1000 + i, hold_seconds: 3 });
      const heldThenFailed = await call(first.url, 'POST', '/v1/sandbox/invoice', {
        num_satoshis: 2000 + i,
        hold_seconds: 3,
        fail: 1,
      });
      const instant = await call(first.url, 'POST', '/v1/sandbox/invoice', { num_satoshis: 500 + i });
      const internal = await call(first.url, 'POST', `/v1/wallet/${payee.id}/invoice`, { num_satoshis: 200 + i });
      invoices.push(
        held.body.payment_request,
        heldThenFailed.body.payment_request,
        instant.body.payment_request,
        internal.body.payment_request,
      );
    }
    // Fire every payment and the transfers without waiting, then kill the process mid-flight.
    const inFlight = [
      ...invoices.map((pr) =>
        call(first.url, 'POST', `/v1/wallet/${payer.id}/withdraw`, { payment_request: pr, fee_limit_msat: 5000 }).catch(() => undefined),
      ),
      ...Array.from({ length: 10 }, () =>
        call(first.url, 'POST', `/v1/wallet/${payer.id}/transfer`, { dest_wallet_id: payee.id, num_satoshis: 3 }).catch(() => undefined),
      ),
    ];
    await new Promise((r) => setTimeout(r, 700));
    await first.stop('SIGKILL');
    await Promise.all(inFlight);

    const second = await spawnLnpayd(env);
    // Abandoned payments are resolved once they are older than the grace period and the node has decided.
    await new Promise((r) => setTimeout(r, (RECOVERY_GRACE_SECONDS + 3 + 6) * 1000));
    const payerAfter = (await call(second.url, 'GET', `/v1/wallet/${payer.id}`)).body.balance;
    assert.equal(await second.stop('SIGTERM'), 0);

    const db = await openDatabase(dataDir, databaseUrl);
    try {
      const pending = await db.query<{ n: number }>("select count(*)::int8 as n from payments where status = 'pending'");
      assert.equal(pending[0]?.n, 0, 'no payment left pending');
      const [inflight] = await db.query<{ total: number }>(
        "select coalesce(sum(amount_msat), 0)::int8 as total from postings where account = 'inflight'",
      );
      assert.equal(inflight?.total, 0, 'nothing stuck in flight');
      const report = await checkLedger(db);
      assert.deepEqual(report.problems, []);
      // The payer's money is exactly the funding minus what the wallet transactions say it spent.
      const [spent] = await db.query<{ total: number }>(
        'select coalesce(sum(num_satoshis), 0)::int8 as total from wallet_transactions where wallet_id = $1',
        [payer.id],
      );
      assert.equal(spent?.total, payerAfter);
      // Every succeeded payment has its withdrawal row, every failed one none.
      const orphans = await db.query(
        `select p.id from payments p left join wallet_transactions t on t.lntx_id = p.lntx_id
          where (p.status = 'succeeded') <> (t.id is not null)`,
      );
      assert.equal(orphans.length, 0, JSON.stringify(orphans));
      const held = await db.query<{ status: string }>(
        "select status from payments where kind = 'invoice' and amount_msat >= 1000000",
      );
      assert.ok(held.length > 0, 'some held payments reached the database before the kill');
      const failed = await db.query("select id from payments where status = 'failed'");
      assert.ok(failed.length > 0, 'some payments were refunded');
    } finally {
      await db.close();
    }
  });
});
