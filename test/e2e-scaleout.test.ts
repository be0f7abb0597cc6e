/**
 * Two lnpayd processes on one LND and one PostgreSQL, both following LND's
 * invoice stream: every payment from outside is credited exactly once, by
 * whichever process gets to it first. Needs LNPAYD_REGTEST_ENV
 * (scripts/regtest/start.sh) and LNPAYD_TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkLedger } from '../src/ledger/invariants.ts';
import type { LndRest } from '../src/lightning/lnd/rest.ts';
import { TEST_DATABASE_URL, createTestDatabase, openDatabase } from './helpers/database.ts';
import { type LnpaydProcess, apiCall, spawnLnpayd } from './helpers/process.ts';
import { REGTEST_ENV_FILE, lndClient, outsidePays, readEnvFile, until } from './helpers/regtest.ts';

const SAK = 'sak_' + 'scaleOutSecretKey00000000000';
const PAK = 'pak_' + 'scaleOutPublicKey00000000000';
const PAYMENTS = 12;
const CREDITED = /"lntx":"(lntx_[^"]+)"[^\n]*"msg":"incoming payment credited"/g;

const skip = !REGTEST_ENV_FILE || !TEST_DATABASE_URL ? 'set LNPAYD_REGTEST_ENV (scripts/regtest/start.sh) and LNPAYD_TEST_DATABASE_URL' : false;

describe('two lnpayd processes on one LND and one PostgreSQL', { skip }, () => {
  const dirs: string[] = [];
  const procs: LnpaydProcess[] = [];
  let outside: LndRest;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  before(async () => {
    const file = await readEnvFile(REGTEST_ENV_FILE ?? '');
    outside = await lndClient(file, 'OUTSIDE_LND');
    const database = await createTestDatabase();
    assert.ok(database);
    databaseUrl = database.url;
    drop = database.drop;
    for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), 'lnpayd-e2e-scale-')));
    for (const dir of dirs) {
      procs.push(await spawnLnpayd({ ...file, DATA_DIR: dir, DATABASE_URL: databaseUrl, LNPAYD_SECRET_KEY: SAK, LNPAYD_PUBLIC_KEY: PAK }));
    }
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await drop?.();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test(`${PAYMENTS} payments from outside, both processes following the invoice stream: each credited exactly once`, async (t) => {
    const via = (i: number) => (procs[i % 2] as LnpaydProcess).url;
    const wallet = (await apiCall(via(0), SAK, 'POST', '/v1/wallet', { user_label: 'shop' })).body;
    const invoices = await Promise.all(
      Array.from({ length: PAYMENTS }, async (_, i) => {
        const res = await apiCall(via(i), SAK, 'POST', `/v1/wallet/${wallet.id}/invoice`, { num_satoshis: 1000 + i, memo: `order ${i}` });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body as { id: string; payment_request: string };
      }),
    );
    const total = invoices.reduce((sum, _, i) => sum + 1000 + i, 0);
    await Promise.all(invoices.map((inv) => outsidePays(outside, inv.payment_request)));
    await until('every credit', async () => (await apiCall(via(1), SAK, 'GET', `/v1/wallet/${wallet.id}`)).body.balance === total);
    // Give the later of the two followers time to see (and skip) every settlement too.
    await sleep(3000);
    assert.equal((await apiCall(via(0), SAK, 'GET', `/v1/wallet/${wallet.id}`)).body.balance, total);
    for (const inv of invoices) assert.equal((await apiCall(via(1), SAK, 'GET', `/v1/lntx/${inv.id}`)).body.settled, 1);
    const deposits = (await apiCall(via(0), SAK, 'GET', `/v1/wallet/${wallet.id}/transactions?per-page=500`)).body.filter(
      (w: { wtxType: { name: string } }) => w.wtxType.name === 'ln_deposit',
    );
    assert.equal(deposits.length, PAYMENTS);
    const creditsBy = procs.map((p) => [...p.output().matchAll(CREDITED)].map((m) => m[1]));
    const credited = creditsBy.flat();
    assert.equal(credited.length, PAYMENTS, 'one credit per payment over both processes');
    assert.deepEqual([...credited].sort(), invoices.map((inv) => inv.id).sort());
    const db = await openDatabase(dirs[0] as string, databaseUrl);
    try {
      assert.deepEqual((await checkLedger(db)).problems, []);
    } finally {
      await db.close();
    }
    t.diagnostic(`credits: ${PAYMENTS} payments from outside, ${credited.length} credits (${creditsBy.map((c) => c.length).join(' + ')} by the two processes), 0 twice, ${total} sats`);
  });
});
