import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness, type TestWallet } from './helpers/harness.ts';

describe('transfers between wallets', () => {
  let h: Harness;
  let a: TestWallet;
  let b: TestWallet;
  const transfer = (from: TestWallet, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.request('POST', `/v1/wallet/${from.keys.admin}/transfer`, { key: h.pak, body, headers });

  before(async () => {
    h = await Harness.start();
    a = await h.createWallet('a');
    b = await h.createWallet('b');
    await h.fund(a, 100);
  });
  after(() => h.close());

  test('201 with both wallet transactions, passThru and lnPayParams; events out then in', async () => {
    const res = await transfer(a, {
      dest_wallet_id: b.id,
      num_satoshis: 40,
      memo: 'rent',
      lnPayParams: '{"x":1}',
      passThru: { ticket: 'T1' },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body), ['wtx_transfer_in', 'wtx_transfer_out']);
    const { wtx_transfer_in: into, wtx_transfer_out: out } = res.body;
    assert.equal(out.num_satoshis, -40);
    assert.equal(into.num_satoshis, 40);
    assert.equal(out.wtxType.name, 'ln_transfer_out');
    assert.equal(into.wtxType.display_name, 'Transfer In');
    assert.equal(out.user_label, 'rent');
    assert.equal(out.lnTx, null);
    assert.equal(out.wal.balance, 60);
    assert.equal(into.wal.balance, 40);
    assert.deepEqual(out.passThru, { ticket: 'T1', lnPayParams: { x: 1 }, source_wallet_id: a.id, dest_wallet_id: b.id });
    const events = await h.server.ctx.db.query<{ name: string }>(
      "select name from events where name like 'wallet_transfer%' order by seq",
    );
    assert.deepEqual(events.map((e) => e.name), ['wallet_transfer_out', 'wallet_transfer_in']);
    await h.assertLedger();
  });

  test('refusals: insufficient balance, same wallet, unknown or malformed destination, bad amounts and JSON', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ dest_wallet_id: b.id, num_satoshis: 61 }, 'Insufficient balance in source wallet'],
      [{ dest_wallet_id: a.id, num_satoshis: 1 }, 'Source and destination wallets cannot be the same!'],
      [{ dest_wallet_id: 'wal_missing', num_satoshis: 1 }, 'Invalid dest wallet id'],
      [{ dest_wallet_id: b.keys.admin, num_satoshis: 1 }, 'Invalid dest wallet id'],
      [{ dest_wallet_id: b.id, num_satoshis: 0 }, 'Num Satoshis must be greater than or equal to "1".'],
      [{ dest_wallet_id: b.id }, 'Num Satoshis cannot be blank.'],
      [{ num_satoshis: 1 }, 'Dest Wallet Id cannot be blank.'],
      [{ dest_wallet_id: b.id, num_satoshis: 1, lnPayParams: '{' }, 'Invalid lnPayParams json specified'],
      [{ dest_wallet_id: b.id, num_satoshis: 1, passThru: '{' }, 'Invalid passThru json specified'],
    ];
    for (const [body, message] of cases) {
      const res = await transfer(a, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.message, message);
    }
    assert.equal(await h.balance(a), 60);
    assert.equal(await h.balance(b), 40);
    const invoiceKey = await h.request('POST', `/v1/wallet/${a.keys.invoice}/transfer`, {
      key: h.pak,
      body: { dest_wallet_id: b.id, num_satoshis: 1 },
    });
    assert.equal(invoiceKey.status, 401);
    assert.equal(invoiceKey.body.message, 'waki_ access key provided does not permission to do this: wallet_transfer');
    const withdrawKey = await h.request('POST', `/v1/wallet/${a.keys.lnurlWithdraw}/transfer`, {
      key: h.pak,
      body: { dest_wallet_id: b.id, num_satoshis: 1 },
    });
    assert.equal(withdrawKey.status, 401);
    await h.assertLedger();
  });

  test('Idempotency-Key: the same request twice moves money once and answers the same; another body → 422', async () => {
    const body = { dest_wallet_id: b.id, num_satoshis: 5 };
    const first = await transfer(a, body, { 'Idempotency-Key': 'order-1' });
    const second = await transfer(a, body, { 'Idempotency-Key': 'order-1' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(await h.balance(a), 55);
    const other = await transfer(a, { ...body, num_satoshis: 6 }, { 'Idempotency-Key': 'order-1' });
    assert.equal(other.status, 422);
    assert.equal(other.body.message, 'Idempotency-Key was already used with a different request');
    const tooLong = await transfer(a, body, { 'Idempotency-Key': 'k'.repeat(256) });
    assert.equal(tooLong.status, 400);
    assert.equal(await h.balance(a), 55);
    await h.assertLedger();
  });

  test('Idempotency-Key under concurrency: 10 identical requests at once move money once', async () => {
    const body = { dest_wallet_id: b.id, num_satoshis: 1 };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => transfer(a, body, { 'Idempotency-Key': 'burst' })),
    );
    assert.ok(results.every((r) => r.status === 201 || r.status === 409), results.map((r) => r.status).join());
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.wtx_transfer_out.id));
    assert.equal(ids.size, 1);
    assert.equal(await h.balance(a), 54);
    await h.assertLedger();
  });

  test('many concurrent transfers in both directions never lose or create a sat', async () => {
    const x = await h.createWallet('x');
    const y = await h.createWallet('y');
    await h.fund(x, 50);
    await h.fund(y, 50);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0 ? transfer(x, { dest_wallet_id: y.id, num_satoshis: 3 }) : transfer(y, { dest_wallet_id: x.id, num_satoshis: 2 }),
      ),
    );
    assert.equal((await h.balance(x)) + (await h.balance(y)), 100);
    await h.assertLedger();
  });
});
