import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transfer as transferService, type TransferInput } from '../src/services/transfer.ts';
import { WTX_TYPES } from '../src/model/wtxTypes.ts';
import type { Db } from '../src/store/db.ts';
import { failingOnce } from './helpers/database.ts';
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

  test('transfers made at once share transactions; each is written or refused on its own, in order', async () => {
    const names = ['src', 'whale', 'payer', ...Array.from({ length: 12 }, (_, i) => `d${i}`)];
    const [src, whale, payer, ...dests] = await Promise.all(names.map((n) => h.createWallet(n)));
    await h.fund(src!, 10);
    await h.fund(whale!, 9007199254740);
    await h.fund(payer!, 5);
    const attempts: [TestWallet, Record<string, unknown>][] = [
      ...dests.map((d): [TestWallet, Record<string, unknown>] => [src!, { dest_wallet_id: d.id, num_satoshis: 3 }]),
      [src!, { dest_wallet_id: 'wal_doesnotexist', num_satoshis: 1 }],
      [payer!, { dest_wallet_id: whale!.id, num_satoshis: 1 }],
    ];
    const replies = await Promise.all(attempts.map(([from, body]) => transfer(from, body)));
    const messages = replies.map((r) => (r.status === 201 ? 201 : r.body.message));
    // 10 sats pay for three transfers of 3, whichever three come first.
    assert.equal(messages.slice(0, 12).filter((m) => m === 201).length, 3, messages.join());
    assert.equal(messages.slice(0, 12).filter((m) => m === 'Insufficient balance in source wallet').length, 9);
    assert.equal(messages[12], 'Invalid dest wallet id');
    assert.equal(messages[13], 'Wallet balance cannot exceed 9007199254740 satoshi (the largest exact amount lnpayd holds)');
    assert.equal(await h.balance(src!), 1);
    assert.equal(await h.balance(whale!), 9007199254740);
    assert.equal(await h.balance(payer!), 5);
    // Each answer shows the balance after its own transfer: 7, 4 and 1 in some order.
    const after = replies.filter((r) => r.status === 201).map((r) => r.body.wtx_transfer_out.wal.balance).sort((x, y) => x - y);
    assert.deepEqual(after, [1, 4, 7]);
    const rows = await h.server.ctx.db.query<{ n: number }>(
      'select count(*)::int8 as n from wallet_transactions where wallet_id = $1',
      [src!.id],
    );
    assert.equal(rows[0]?.n, 4, 'the funding and three transfers out');
    await h.assertLedger();
  });

  test('under load transfers share commits: fewer transactions than transfers, every sat accounted for', async () => {
    const wallets = await Promise.all(Array.from({ length: 6 }, (_, i) => h.createWallet(`load${i}`)));
    for (const w of wallets) await h.fund(w, 100);
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => transfer(wallets[i % 6]!, { dest_wallet_id: wallets[(i + 1 + (i % 5)) % 6]!.id, num_satoshis: 1 })),
    );
    assert.ok(replies.every((r) => r.status === 201), replies.map((r) => r.status).join());
    const ids = wallets.map((w) => w.id);
    const [{ transfers, transactions }] = await h.server.ctx.db.query<{ transfers: number; transactions: number }>(
      `select count(*)::int8 as transfers, count(distinct xmin::text)::int8 as transactions
         from wallet_transactions where wallet_id = any($1::text[]) and type_id = $2`,
      [ids, WTX_TYPES.ln_transfer_out.id],
    ) as [{ transfers: number; transactions: number }];
    assert.equal(transfers, 60);
    assert.ok(transactions < 60, `${transactions} transactions for 60 transfers`);
    let total = 0;
    for (const w of wallets) total += await h.balance(w);
    assert.equal(total, 600);
    await h.assertLedger();
  });

  test('a transaction of transfers the database refuses is retried transfer by transfer; a lost connection is not retried', async () => {
    const from = await h.createWallet('retry-from');
    const to = await h.createWallet('retry-to');
    await h.fund(from, 50);
    const send = (db: Db, n: number) => {
      const ctx = { ...h.server.ctx, db };
      const input: TransferInput = {
        wallet: { id: from.id }, destWalletId: to.id, numSatoshis: 1, memo: null, lnPayParams: null, passThru: {}, idempotency: undefined,
      };
      return Promise.allSettled(Array.from({ length: n }, () => transferService(ctx, input)));
    };
    const refused = await send(failingOnce(h.server.ctx.db, '40P01'), 5);
    assert.deepEqual(refused.map((r) => r.status), Array(5).fill('fulfilled'));
    assert.equal(await h.balance(from), 45);
    const lost = await send(failingOnce(h.server.ctx.db, '08006'), 5);
    assert.deepEqual(lost.map((r) => r.status), Array(5).fill('rejected'));
    assert.match(String((lost[0] as PromiseRejectedResult).reason), /fails with 08006/);
    assert.equal(await h.balance(from), 45);
    await h.assertLedger();
  });
});
