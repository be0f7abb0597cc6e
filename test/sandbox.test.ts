import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Harness, type TestWallet } from './helpers/harness.ts';

describe('sandbox pay: money in from outside the embedded node', () => {
  let h: Harness;
  let w: TestWallet;
  before(async () => {
    h = await Harness.start();
    w = await h.createWallet('receiver');
  });
  after(() => h.close());

  test('settles the invoice, reveals the preimage and credits the wallet through the ledger', async () => {
    const invoice = await h.createInvoice(w, { num_satoshis: 250, memo: 'order 1', passThru: { order: 1 } });
    const res = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: invoice.payment_request } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.settled, 1);
    assert.ok(res.body.settled_at >= invoice.created_at);
    assert.equal(createHash('sha256').update(Buffer.from(res.body.payment_preimage, 'hex')).digest('hex'), invoice.r_hash_decoded);
    assert.equal(await h.balance(w), 250);
    const lntx = await h.request('GET', `/v1/lntx/${invoice.id}`, { key: h.pak });
    assert.equal(lntx.body.settled, 1);
    assert.equal(lntx.body.payment_preimage, res.body.payment_preimage);
    const txs = await h.request('GET', `/v1/wallet/${w.keys.read}/transactions`, { key: h.pak });
    assert.equal(txs.body.length, 1);
    const wtx = txs.body[0];
    assert.match(wtx.id, /^wtx_\w{24}$/);
    assert.equal(wtx.num_satoshis, 250);
    assert.deepEqual(wtx.wtxType, { layer: 'ln', name: 'ln_deposit', display_name: 'LN Deposit' });
    assert.equal(wtx.wal.balance, 250);
    assert.equal(wtx.lnTx.id, invoice.id);
    assert.equal(wtx.lnTx.passThru, undefined);
    assert.deepEqual(wtx.passThru, { order: 1, wallet_id: w.id });
    const events = await h.server.ctx.db.query<{ data: { wtx: { id: string } } }>(
      "select data from events where name = 'wallet_receive'",
    );
    assert.ok(events.some((e) => e.data.wtx.id === wtx.id));
    await h.assertLedger();
  });

  test('an invoice is never credited twice, even when paid concurrently', async () => {
    const invoice = await h.createInvoice(w, { num_satoshis: 10 });
    const before = await h.balance(w);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: invoice.payment_request } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1);
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 400);
      assert.equal(r.body.message, 'Unable to pay LN Invoice: invoice is already paid');
    }
    assert.equal(await h.balance(w), before + 10);
    await h.assertLedger();
  });

  test('an expired invoice cannot be paid', async () => {
    const invoice = await h.createInvoice(w, { num_satoshis: 5, expiry: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: invoice.payment_request } });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'Unable to pay LN Invoice: invoice expired');
    const lntx = await h.request('GET', `/v1/lntx/${invoice.id}`, { key: h.sak });
    assert.equal(lntx.body.settled, 0);
    await h.assertLedger();
  });

  test('garbage and foreign invoices are refused; only the secret key may use the sandbox', async () => {
    const garbage = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: 'lnbc1garbage' } });
    assert.equal(garbage.status, 400);
    assert.match(garbage.body.message, /^Unable to decode invoice: /);
    // A valid invoice from the BOLT 11 specification: signed by someone else.
    const foreign =
      'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh';
    const res = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: foreign } });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /not an invoice of this node/);
    const invoice = await h.createInvoice(w, { num_satoshis: 5 });
    const pak = await h.request('POST', '/v1/sandbox/pay', { key: h.pak, body: { payment_request: invoice.payment_request } });
    assert.equal(pak.status, 401);
    const missing = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, 'Payment Request cannot be blank.');
    await h.assertLedger();
  });

  test('a credit that would take a wallet past 2^53 - 1 msat is refused with a 400, and the invoice stays unpaid', async () => {
    const whale = await h.createWallet('whale');
    const pay = async () => {
      const inv = await h.request('POST', `/v1/wallet/${whale.id}/invoice`, { key: h.sak, body: { num_satoshis: 9007199254740 } });
      return { inv, res: await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: inv.body.payment_request } }) };
    };
    assert.equal((await pay()).res.status, 200);
    const { inv, res } = await pay();
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'Wallet balance cannot exceed 9007199254740 satoshi (the largest exact amount lnpayd holds)');
    assert.equal((await h.request('GET', `/v1/lntx/${inv.body.id}`, { key: h.sak })).body.settled, 0);
    assert.equal(await h.balance(whale), 9007199254740);
    await h.assertLedger();
  });

  test('unknown LnTx ids get 404 LnTx not found', async () => {
    const res = await h.request('GET', '/v1/lntx/lntx_nothere', { key: h.sak });
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'LnTx not found');
  });

  test('?fields= keeps only the named keys', async () => {
    const invoice = await h.createInvoice(w, { num_satoshis: 5 });
    const res = await h.request('GET', `/v1/lntx/${invoice.id}?fields=num_satoshis,settled`, { key: h.sak });
    assert.deepEqual(res.body, { num_satoshis: 5, settled: 0 });
  });
});
