import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness, TestWallet } from './helpers/harness.ts';
import { decodeLnurlText, startLnurlHarness, walletGet, withQuery } from './helpers/lnurl.ts';

describe('LNURL-withdraw (LUD-03)', () => {
  let h: Harness;
  let alice: TestWallet;
  let bob: TestWallet;

  const withdrawLink = async (w: TestWallet, query: string, path = 'withdraw', key = w.keys.lnurlWithdraw) => {
    const res = await h.request('GET', `/v1/wallet/${key}/lnurl/${path}${query}`, { key: h.pak });
    assert.equal(res.status, 200, res.text);
    return res.body as { lnurl: string; ott?: string };
  };
  /** Scan the LNURL, then answer the callback with an invoice of `payee` — as a wallet app does. */
  const scan = async (lnurl: string) => {
    const first = await walletGet(decodeLnurlText(lnurl));
    assert.equal(first.status, 200);
    return first.body;
  };
  const claim = async (params: any, payee: TestWallet, sats: number) => {
    const invoice = await h.createInvoice(payee, { num_satoshis: sats, memo: 'withdrawn' });
    return walletGet(withQuery(params.callback, { k1: params.k1, pr: invoice.payment_request }));
  };

  before(async () => {
    h = await startLnurlHarness();
    alice = await h.createWallet('alice');
    bob = await h.createWallet('bob');
    await h.fund(alice, 1000);
  });
  after(() => h.close());

  test('a disposable link pays out once, within its amount, with method lnurl', async () => {
    const passThru = Buffer.from(JSON.stringify({ order: 'w1' })).toString('base64');
    const link = await withdrawLink(alice, `?num_satoshis=30&memo=Refund&passThru=${encodeURIComponent(passThru)}`);
    assert.ok(link.ott && link.ott.length <= 12);
    const url = decodeLnurlText(link.lnurl);
    assert.ok(url.startsWith(`${h.url}/v1/wallet/${alice.keys.lnurlWithdraw}/lnurl-process?tag=withdraw&ott=${link.ott}`), url);

    const params = await scan(link.lnurl);
    assert.equal(params.tag, 'withdrawRequest');
    assert.equal(params.maxWithdrawable, 30000);
    assert.equal(params.minWithdrawable, 30000);
    assert.equal(params.defaultDescription, 'Refund');
    assert.equal(params.balanceCheck, undefined);
    assert.match(params.k1, /^[0-9a-f]{64}$/);

    const tooMuch = await claim(params, bob, 31);
    assert.deepEqual(tooMuch.body, { status: 'ERROR', reason: '31 sat is not within 1 - 30 sat' });
    assert.equal(await h.balance(alice), 1000);

    const paid = await claim(params, bob, 30);
    assert.equal(paid.status, 201);
    assert.deepEqual(paid.body, { status: 'OK' });
    assert.equal(await h.balance(alice), 970);
    assert.equal(await h.balance(bob), 30);
    const txs = await h.request('GET', `/v1/wallet/${alice.id}/transactions`, { key: h.sak });
    assert.equal(txs.body[0].wtxType.name, 'ln_withdrawal');
    assert.deepEqual(txs.body[0].passThru, { order: 'w1', k1: params.k1, ott: link.ott, method: 'lnurl' });

    const again = await claim(params, bob, 30);
    assert.deepEqual(again.body, { status: 'ERROR', reason: 'This k1 has already been used' });
    const rescan = await walletGet(decodeLnurlText(link.lnurl));
    assert.equal(rescan.body.status, 'ERROR');
    assert.match(rescan.body.reason, /^LNURL is no longer valid: /);
    assert.equal(await h.balance(alice), 970);
    await h.assertLedger();
  });

  test('a permanent link follows the balance, checks num_satoshis and needs the waklw_ key', async () => {
    const refused = await h.request('GET', `/v1/wallet/${alice.keys.lnurlWithdraw}/lnurl/withdraw-static`, { key: h.pak });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.message, 'waklw_ access key provided does not permission to do this: Wallet Admin');
    const link = await withdrawLink(alice, '?num_satoshis=50', 'withdraw-static', alice.keys.admin);
    assert.equal(link.ott, undefined);
    const params = await scan(link.lnurl);
    assert.equal(params.maxWithdrawable, 50000);
    assert.equal(params.balanceCheck, `${h.url}/v1/wallet/${alice.keys.lnurlWithdraw}/lnurl-process?tag=withdraw`);
    assert.deepEqual((await claim(params, bob, 20)).body, { status: 'OK' });
    const second = await scan(link.lnurl);
    assert.deepEqual((await claim(second, bob, 50)).body, { status: 'OK' });
    assert.equal(await h.balance(alice), 900);

    const asAdmin = await walletGet(`${h.url}/v1/wallet/${alice.keys.admin}/lnurl-process?tag=withdraw`);
    assert.equal(asAdmin.status, 401);
    assert.equal(asAdmin.body.message, 'waka_ access key provided does not permission to do this: wallet_public_withdraw');
    const unknown = await walletGet(`${h.url}/v1/wallet/waklw_nope/lnurl-process?tag=withdraw`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, 'Wallet not found: waklw_nope');
    await h.assertLedger();
  });

  test('bad, unknown and expired k1, bad invoices and an empty wallet: clear errors, nothing moved', async () => {
    const carol = await h.createWallet('carol');
    await h.fund(carol, 10);
    const link = await withdrawLink(carol, '');
    const params = await scan(link.lnurl);
    assert.equal(params.maxWithdrawable, 10000);
    const badK1 = await claim({ ...params, k1: 'f'.repeat(64) }, bob, 5);
    assert.deepEqual(badK1.body, { status: 'ERROR', reason: 'Unknown k1: request the withdraw link again' });
    const noK1 = await walletGet(withQuery(params.callback, { pr: 'lnbcrt1' }));
    assert.deepEqual(noK1.body, { status: 'ERROR', reason: 'K1 cannot be blank.' });
    const garbage = await walletGet(withQuery(params.callback, { k1: params.k1, pr: 'lnbcrt1garbage' }));
    assert.equal(garbage.body.status, 'ERROR');
    assert.match(garbage.body.reason, /^Unable to decode invoice: /);
    const tooLarge = await claim(params, bob, 11);
    assert.deepEqual(tooLarge.body, { status: 'ERROR', reason: 'Invoice too large :) Max balance: 10' });
    await h.server.ctx.db.query('update lnurlw_k1 set expires_at = 0 where k1 = $1', [params.k1]);
    const expired = await claim(params, bob, 5);
    assert.deepEqual(expired.body, { status: 'ERROR', reason: 'This k1 has expired: request the withdraw link again' });
    assert.equal(await h.balance(carol), 10);
    const fresh = await scan(link.lnurl);
    assert.deepEqual((await claim(fresh, bob, 10)).body, { status: 'OK' });
    const empty = await scan((await withdrawLink(carol, '')).lnurl);
    assert.equal(empty.maxWithdrawable, 0);
    await h.assertLedger();
  });

  test('a disposable link drained concurrently pays once, whether through one k1 or many', async () => {
    const dave = await h.createWallet('dave');
    await h.fund(dave, 500);
    const link = await withdrawLink(dave, '?num_satoshis=40');
    const scans = await Promise.all(Array.from({ length: 6 }, () => scan(link.lnurl)));
    const results = await Promise.all(scans.flatMap((params) => [claim(params, bob, 40), claim(params, bob, 40)]));
    assert.equal(results.filter((r) => r.body.status === 'OK').length, 1, JSON.stringify(results.map((r) => r.body)));
    assert.equal(await h.balance(dave), 460);
    await h.assertLedger();
  });

  test('a permanent link drained concurrently never pays more than the balance', async () => {
    const erin = await h.createWallet('erin');
    await h.fund(erin, 100);
    const link = await withdrawLink(erin, '?num_satoshis=30', 'withdraw-static', erin.keys.admin);
    const scans = await Promise.all(Array.from({ length: 6 }, () => scan(link.lnurl)));
    const results = await Promise.all(scans.map((params) => claim(params, bob, 30)));
    assert.equal(results.filter((r) => r.body.status === 'OK').length, 3, JSON.stringify(results.map((r) => r.body)));
    assert.equal(await h.balance(erin), 10);
    await h.assertLedger();
  });
});
