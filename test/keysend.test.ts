import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Harness, type TestWallet } from './helpers/harness.ts';

describe('keysend', () => {
  let h: Harness;
  let a: TestWallet;
  let outsidePubkey: string;
  const keysend = (w: TestWallet, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.request('POST', `/v1/wallet/${w.keys.admin}/keysend`, { key: h.pak, body, headers });

  before(async () => {
    h = await Harness.start();
    a = await h.createWallet('a');
    await h.fund(a, 1000);
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 1 } });
    outsidePubkey = outside.body.dest_pubkey;
  });
  after(() => h.close());

  test('to the outside node: LnTx shaped as LNPay (pubkey:sats, keysend memo, preimage record), fee charged', async () => {
    const res = await keysend(a, { dest_pubkey: outsidePubkey, num_satoshis: 100, custom_records: { '696969': 'hello', '7629169': { a: 1 } } });
    assert.equal(res.status, 201, res.text);
    const t = res.body.lnTx;
    assert.equal(t.payment_request, `${outsidePubkey}:100`);
    assert.equal(t.memo, `100 keysend to ${outsidePubkey}`);
    assert.equal(t.is_keysend, 1);
    assert.equal(t.expires_at, null);
    assert.equal(t.custom_records['696969'], 'hello');
    assert.equal(t.custom_records['7629169'], '{"a":1}');
    const preimage = t.custom_records['5482373484'];
    assert.equal(preimage, t.payment_preimage);
    assert.equal(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex'), t.r_hash_decoded);
    assert.equal(await h.balance(a), 899);
    await h.assertLedger();
  });

  test('to our own node: credits the wallet named in TLV 696969, without the network', async () => {
    const b = await h.createWallet('b');
    const nodePubkey = (await h.createInvoice(b, { num_satoshis: 1 })).dest_pubkey;
    const res = await keysend(a, { dest_pubkey: nodePubkey, num_satoshis: 10, custom_records: { '696969': b.id } });
    assert.equal(res.status, 201, res.text);
    assert.equal(await h.balance(b), 10);
    const txs = await h.request('GET', `/v1/wallet/${b.id}/transactions`, { key: h.sak });
    assert.equal(txs.body[0].lnTx.payment_request, 'keysend/amp');
    assert.equal(txs.body[0].lnTx.is_keysend, 1);
    const missing = await keysend(a, { dest_pubkey: nodePubkey, num_satoshis: 10 });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /^Failure reason: keysend to this node needs custom record 696969/);
    await h.assertLedger();
  });

  test('refusals: unreachable node, bad pubkey, amount, insufficient balance', async () => {
    const before = await h.balance(a);
    const unreachable = '02' + 'ab'.repeat(32);
    const cases: [Record<string, unknown>, string][] = [
      [{ dest_pubkey: unreachable, num_satoshis: 5 }, 'Failure reason: FAILURE_REASON_NO_ROUTE'],
      [{ dest_pubkey: 'abc', num_satoshis: 5 }, 'Dest Pubkey should contain 66 characters.'],
      [{ dest_pubkey: 'zz' + 'ab'.repeat(32), num_satoshis: 5 }, 'Dest Pubkey is invalid.'],
      [{ num_satoshis: 5 }, 'Dest Pubkey cannot be blank.'],
      [{ dest_pubkey: unreachable }, 'Num Satoshis cannot be blank.'],
      [{ dest_pubkey: outsidePubkey, num_satoshis: 100000 }, `Invoice too large :) Max balance: ${before}`],
      [{ dest_pubkey: outsidePubkey, num_satoshis: 5, custom_records: { '12': 'x' } }, 'Custom Records is invalid: TLV type 12 is not a custom record type (>= 65536).'],
    ];
    for (const [body, message] of cases) {
      const res = await keysend(a, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.message, message);
    }
    assert.equal(await h.balance(a), before);
    await h.assertLedger();
  });

  test('Idempotency-Key on keysend and withdraw: a retry returns the first wallet transaction', async () => {
    const before = await h.balance(a);
    const body = { dest_pubkey: outsidePubkey, num_satoshis: 7 };
    const first = await keysend(a, body, { 'Idempotency-Key': 'ks-1' });
    const second = await keysend(a, body, { 'Idempotency-Key': 'ks-1' });
    assert.equal(first.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(await h.balance(a), before - 8);
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 3 } });
    const pay = { payment_request: outside.body.payment_request };
    const p1 = await h.request('POST', `/v1/wallet/${a.keys.admin}/withdraw`, { key: h.pak, body: pay, headers: { 'Idempotency-Key': 'w-1' } });
    const p2 = await h.request('POST', `/v1/wallet/${a.keys.admin}/withdraw`, { key: h.pak, body: pay, headers: { 'Idempotency-Key': 'w-1' } });
    assert.equal(p1.status, 201, p1.text);
    assert.deepEqual(p2.body, p1.body);
    assert.equal(await h.balance(a), before - 8 - 4);
    await h.assertLedger();
  });
});
