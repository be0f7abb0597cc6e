import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { bech32 } from '@scure/base';
import { decodeInvoice } from '../src/bolt11/index.ts';
import type { Harness, TestWallet } from './helpers/harness.ts';
import { decodeLnurlText, startLnurlHarness, walletGet, withQuery } from './helpers/lnurl.ts';

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');
const encodeLnurl = (url: string) => bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), false).toUpperCase();

describe('LNURL-pay (LUD-06/12/16) and Lightning Addresses', () => {
  let h: Harness;
  let alice: TestWallet;
  let bob: TestWallet;
  let domain: string;

  const createLink = (w: TestWallet, body: Record<string, unknown>, key = w.keys.admin) =>
    h.request('POST', `/v1/wallet/${key}/lnurlp`, { key: h.pak, body });
  const payLnurl = (w: TestWallet, body: Record<string, unknown>) =>
    h.request('POST', `/v1/wallet/${w.keys.admin}/lnurlp/pay`, { key: h.pak, body });
  const lastTx = async (w: TestWallet) => (await h.request('GET', `/v1/wallet/${w.id}/transactions`, { key: h.sak })).body[0];

  before(async () => {
    h = await startLnurlHarness();
    domain = new URL(h.url).host;
    alice = await h.createWallet('alice');
    bob = await h.createWallet('Bob shop');
    await h.fund(alice, 1000);
  });
  after(() => h.close());

  test("a new wallet's default link is served to a wallet app, and its paid invoice credits the wallet", async () => {
    const wallet = await h.request('GET', `/v1/wallet/${bob.id}`, { key: h.sak });
    const linkId = wallet.body.default_lnurlpay_id;
    assert.match(linkId, /^lnurlp_[A-Za-z0-9]{18}$/);
    const link = await h.request('GET', `/v1/lnurlp/${linkId}`, { key: h.pak });
    assert.equal(link.status, 200, link.text);
    assert.equal(link.body.user_label, 'LNURL-pay Bob shop');
    assert.equal(link.body.lnurlp_short_desc, 'Bob shop');
    assert.equal(link.body.lnurl_decoded, `${h.url}/v1/wallet/${bob.keys.lnurlPay}/lnurlp/${linkId}`);
    assert.equal(decodeLnurlText(link.body.lnurl_encoded), link.body.lnurl_decoded);
    assert.deepEqual(link.body.statusType, { type: 'lnurl', name: 'lnurl_active', display_name: 'LNURL Active' });

    const first = await walletGet(link.body.lnurl_decoded);
    assert.deepEqual(first.body, {
      callback: link.body.lnurl_decoded,
      maxSendable: 100_000_000_000,
      minSendable: 1000,
      metadata: JSON.stringify([['text/plain', 'Bob shop']]),
      commentAllowed: 0,
      tag: 'payRequest',
    });
    const second = await walletGet(withQuery(first.body.callback, { amount: 25000 }));
    assert.deepEqual(second.body.routes, []);
    const invoice = decodeInvoice(second.body.pr);
    assert.equal(invoice.amountMsat, 25000);
    assert.equal(invoice.descriptionHash, sha256hex(first.body.metadata));

    const paid = await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: second.body.pr } });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(await h.balance(bob), 25);
    const credit = await lastTx(bob);
    assert.deepEqual(credit.wtxType, { layer: 'ln', name: 'ln_lnurl_pay_inbound', display_name: 'LNURL Pay' });
    assert.equal(credit.num_satoshis, 25);
    assert.equal(credit.user_label, 'LNURL PAY');
    assert.deepEqual(credit.passThru, { wallet_lnurlpay_id: linkId, amount: 25000, wallet_id: bob.id });
    await h.assertLedger();
  });

  test('wrong amounts, long comments and unknown links get LUD errors with status 200', async () => {
    const link = await createLink(bob, { lnurlp_minSendable_msat: 5000, lnurlp_maxSendable_msat: 9000, lnurlp_commentAllowed: 4 });
    assert.equal(link.status, 200, link.text);
    const url = link.body.lnurl_decoded;
    const cases: [Record<string, string | number>, string][] = [
      [{ amount: 4000 }, '4 sat is not within 5 - 9 sat'],
      [{ amount: 10000 }, '10 sat is not within 5 - 9 sat'],
      [{ amount: 5500 }, 'Amount must be whole satoshis (a multiple of 1000 msat)'],
      [{ amount: 6000, comment: 'too long' }, 'Comment length is too long (8) - endpoint supports (4) characters'],
      [{ amount: 'x' }, 'Amount must be an integer (msat).'],
    ];
    for (const [query, reason] of cases) {
      const res = await walletGet(withQuery(url, query));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ERROR', reason });
    }
    const commented = await walletGet(withQuery(url, { amount: 6000, comment: 'hi!' }));
    assert.ok(commented.body.pr);
    const wrongWallet = await walletGet(`${h.url}/v1/wallet/${alice.keys.lnurlPay}/lnurlp/${link.body.id}`);
    assert.deepEqual(wrongWallet.body, { status: 'ERROR', reason: 'Wallet or lnurlpay link is not valid or active' });
    const noWallet = await walletGet(`${h.url}/v1/wallet/waklp_nope/lnurlp/${link.body.id}`);
    assert.deepEqual(noWallet.body, { status: 'ERROR', reason: 'Wallet not found: waklp_nope' });
  });

  test('links are created by Wallet Admin, read by the account, updated with the secret key only', async () => {
    const asInvoiceKey = await createLink(bob, { user_label: 'x' }, bob.keys.invoice);
    assert.equal(asInvoiceKey.status, 401);
    const tooSmall = await createLink(bob, { lnurlp_minSendable_msat: 999 });
    assert.equal(tooSmall.status, 400);
    assert.equal(tooSmall.body.message, 'Lnurlp Min Sendable Msat must be greater than or equal to "1000".');
    const badName = await createLink(bob, { lnurlp_identifier: 'no spaces' });
    assert.equal(badName.body.message, 'Lnurlp Identifier is invalid.');
    const created = await createLink(bob, { user_label: 'Tips', lnurlp_short_desc: 'Tip Bob' });
    const id = created.body.id;
    const unknown = await h.request('GET', '/v1/lnurlp/lnurlp_missing', { key: h.sak });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, 'Unknown lnurlpay id');

    const byPak = await h.request('PATCH', `/v1/lnurlp/${id}`, { key: h.pak, body: { user_label: 'y' } });
    assert.equal(byPak.status, 401);
    const invalid = await h.request('PUT', `/v1/lnurlp/${id}`, { key: h.sak, body: { lnurlp_minSendable_msat: 10 } });
    assert.equal(invalid.status, 500);
    assert.equal(invalid.body.message, 'Lnurlp Min Sendable Msat must be greater than or equal to "1000".');
    const updated = await h.request('POST', `/v1/lnurlp/${id}`, {
      key: h.sak,
      body: { lnurlp_short_desc: 'Tips for Bob', identifier: 'bob.tips' },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.user_label, 'Tips');
    assert.equal(updated.body.lnurlp_identifier, 'bob.tips');
    const served = await walletGet(updated.body.lnurl_decoded);
    assert.equal(served.body.metadata, JSON.stringify([['text/plain', 'Tips for Bob'], ['text/identifier', `bob.tips@${domain}`]]));
    const taken = await createLink(alice, { lnurlp_identifier: 'Bob.Tips' });
    assert.equal(taken.status, 400);
    assert.equal(taken.body.message, 'Lnurlp Identifier "bob.tips" has already been taken.');
  });

  test('a Lightning Address is served at /.well-known/lnurlp/:username', async () => {
    const link = await createLink(bob, { lnurlp_identifier: 'bob', lnurlp_short_desc: 'Pay Bob', lnurlp_commentAllowed: 50 });
    assert.equal(link.status, 200, link.text);
    const wellKnown = await walletGet(`${h.url}/.well-known/lnurlp/bob`);
    assert.equal(wellKnown.status, 200);
    assert.equal(wellKnown.body.callback, link.body.lnurl_decoded);
    assert.equal(wellKnown.body.commentAllowed, 50);
    assert.deepEqual(JSON.parse(wellKnown.body.metadata), [['text/plain', 'Pay Bob'], ['text/identifier', `bob@${domain}`]]);
    const byId = await walletGet(`${h.url}/.well-known/lnurlp/${link.body.id}`);
    assert.equal(byId.body.callback, link.body.lnurl_decoded);
    const unknown = await h.request('GET', '/.well-known/lnurlp/nobody');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.message, `Invalid username (nobody) for domain:${domain}`);
  });

  test('paying our own address or LNURL settles internally as LNURL Pay Outbound / LNURL Pay', async () => {
    const probe = await h.request('GET', `/v1/lnurlp/probe/bob@${domain}`, { key: h.pak });
    assert.equal(probe.status, 200, probe.text);
    assert.deepEqual(probe.body.metadata, [['text/plain', 'Pay Bob'], ['text/identifier', `bob@${domain}`]]);
    const before = await h.balance(bob);
    const res = await payLnurl(alice, { amt_msat: 12000, ln_address: `bob@${domain}`, comment: 'thanks', passThru: { ref: 7 } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.wtxType, { layer: 'ln', name: 'ln_lnurl_pay_outbound', display_name: 'LNURL Pay Outbound' });
    assert.equal(res.body.num_satoshis, -12);
    assert.equal(res.body.lnTx.fee_msat, 0);
    assert.deepEqual(res.body.passThru, { ref: 7, lnurlp_comment: 'thanks', target_ln_address: `bob@${domain}`, method: 'lnurlpay' });
    assert.equal(await h.balance(bob), before + 12);
    const credit = await lastTx(bob);
    assert.equal(credit.wtxType.name, 'ln_lnurl_pay_inbound');
    assert.equal(credit.user_label, 'thanks');
    assert.equal(credit.passThru.comment, 'thanks');

    const bobWallet = await h.request('GET', `/v1/wallet/${bob.id}`, { key: h.sak });
    const link = await h.request('GET', `/v1/lnurlp/${bobWallet.body.default_lnurlpay_id}`, { key: h.sak });
    const viaLnurl = await payLnurl(alice, { amt_msat: 3000, lnurlpay_encoded: link.body.lnurl_encoded });
    assert.equal(viaLnurl.status, 201, viaLnurl.text);
    assert.equal(viaLnurl.body.passThru.target_lnurlp_encoded, link.body.lnurl_encoded);
    assert.equal(await h.balance(bob), before + 15);
    await h.assertLedger();
  });

  test('an Idempotency-Key makes a retried LNURL payment answer the first result, paid once', async () => {
    const before = await h.balance(alice);
    const body = { amt_msat: 2000, ln_address: `bob@${domain}` };
    const headers = { 'Idempotency-Key': 'tip-1' };
    const [first, second] = await Promise.all([0, 1].map(() =>
      h.request('POST', `/v1/wallet/${alice.keys.admin}/lnurlp/pay`, { key: h.pak, body, headers })));
    const answers = [first, second].filter((r) => r?.status === 201);
    assert.ok(answers.length >= 1, JSON.stringify([first?.body, second?.body]));
    const retry = await h.request('POST', `/v1/wallet/${alice.keys.admin}/lnurlp/pay`, { key: h.pak, body, headers });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.id, answers[0]?.body.id);
    assert.equal(await h.balance(alice), before - 2);
    await h.assertLedger();
  });

  test('a wallet from before LNURL support (no readable waklp_/waklw_ key) gets new public keys for its links', async () => {
    const old = await h.createWallet('old');
    await h.server.ctx.db.query('update wallet_keys set key_plain = null where wallet_id = $1', [old.id]);
    const wallet = await h.request('GET', `/v1/wallet/${old.id}`, { key: h.sak });
    const link = await h.request('GET', `/v1/lnurlp/${wallet.body.default_lnurlpay_id}`, { key: h.sak });
    const key = new URL(link.body.lnurl_decoded).pathname.split('/')[3] ?? '';
    assert.match(key, /^waklp_[A-Za-z0-9]{24}$/);
    assert.notEqual(key, old.keys.lnurlPay);
    const again = await h.request('GET', `/v1/lnurlp/${wallet.body.default_lnurlpay_id}`, { key: h.sak });
    assert.equal(again.body.lnurl_decoded, link.body.lnurl_decoded);
    assert.equal((await walletGet(link.body.lnurl_decoded)).body.tag, 'payRequest');
    assert.equal((await walletGet(`${h.url}/v1/wallet/${old.keys.lnurlPay}/lnurlp/${link.body.id}`)).body.tag, 'payRequest');
    const read = await h.request('GET', `/v1/wallet/${key}`, { key: h.pak });
    assert.equal(read.status, 401, 'the new key has only its role (wallet_deposit)');
  });

  test('bad links, wrong amounts and comments are refused before anything moves', async () => {
    const balance = await h.balance(alice);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ amt_msat: 1000, lnurlpay_encoded: 'LNURL1NOTVALID' }, 500, 'Invalid Address / LNURL'],
      [{ amt_msat: 1000, lnurlpay_encoded: encodeLnurl(`${h.url}/v1/wallet/waklp_x/lnurlp/lnurlp_y`) }, 500, 'Invalid Address / LNURL'],
      [{ amt_msat: 1000, ln_address: 'not an address' }, 500, 'Ln Address is not a valid email address.'],
      [{ amt_msat: 1000, ln_address: `nobody@${domain}` }, 500, 'Invalid Address / LNURL'],
      [{ amt_msat: 100, ln_address: `bob@${domain}` }, 500, 'LNURL cannot accept less than 1000 msat'],
      [{ amt_msat: 200_000_000_000, ln_address: `bob@${domain}` }, 500, 'LNURL cannot accept more than 100000000000 msat'],
      [{ amt_msat: 1000, ln_address: `bob@${domain}`, comment: 'x'.repeat(51) }, 500, 'Comment length is too long (51) - endpoint supports (50) characters'],
      [{ amt_msat: 2_000_000, ln_address: `bob@${domain}` }, 400, 'Invoice too large :) Max balance: ' + balance],
      [{ amt_msat: 1000 }, 400, 'Lnurlpay Encoded or Ln Address cannot be blank.'],
    ];
    for (const [body, status, message] of cases) {
      const res = await payLnurl(alice, body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.message, message);
    }
    const probe = await h.request('GET', '/v1/lnurlp/probe/LNURL1BAD', { key: h.pak });
    assert.equal(probe.status, 500);
    assert.equal(probe.body.message, 'Invalid Address / LNURL');
    assert.equal(await h.balance(alice), balance);
    await h.assertLedger();
  });

  describe('a remote LNURL-pay service', () => {
    let remote: Server;
    let remoteUrl: string;
    let carol: TestWallet;
    let mode: 'ok' | 'outside' | 'wrong-amount' | 'wrong-hash' | 'error' | 'huge' = 'ok';
    const metadata = JSON.stringify([['text/plain', 'Remote shop']]);

    before(async () => {
      carol = await h.createWallet('carol');
      remote = createServer(async (req, res) => {
        const url = new URL(req.url ?? '/', remoteUrl);
        res.setHeader('content-type', 'application/json');
        if (url.pathname === '/.well-known/lnurlp/shop' || url.pathname === '/pay') {
          res.end(JSON.stringify({ tag: 'payRequest', callback: `${remoteUrl}/cb`, minSendable: 1000, maxSendable: 50000, metadata, commentAllowed: 20 }));
          return;
        }
        if (mode === 'huge') {
          res.end(JSON.stringify({ pr: 'x'.repeat(100_000) }));
          return;
        }
        if (mode === 'error') {
          res.end(JSON.stringify({ status: 'ERROR', reason: 'shop closed' }));
          return;
        }
        const sats = Number(url.searchParams.get('amount')) / 1000 + (mode === 'wrong-amount' ? 1 : 0);
        const hash = sha256hex(mode === 'wrong-hash' ? 'other' : metadata);
        if (mode === 'outside') {
          const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: sats, description_hash: hash } });
          res.end(JSON.stringify({ pr: outside.body.payment_request, routes: [] }));
          return;
        }
        const invoice = await h.createInvoice(carol, { num_satoshis: sats, description_hash: hash, memo: url.searchParams.get('comment') ?? '' });
        res.end(JSON.stringify({ pr: invoice.payment_request, routes: [] }));
      });
      await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
      const address = remote.address();
      assert.ok(address && typeof address === 'object');
      remoteUrl = `http://127.0.0.1:${address.port}`;
    });
    after(() => new Promise<void>((resolve) => remote.close(() => resolve())));

    test('is probed, then paid through its callback with amount and comment', async () => {
      const probe = await h.request('GET', `/v1/lnurlp/probe/${encodeLnurl(`${remoteUrl}/pay`)}`, { key: h.pak });
      assert.equal(probe.status, 200, probe.text);
      assert.deepEqual(probe.body.metadata, [['text/plain', 'Remote shop']]);
      const res = await payLnurl(alice, { amt_msat: 7000, ln_address: `shop@${new URL(remoteUrl).host}`, comment: 'a b&c' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.wtxType.name, 'ln_lnurl_pay_outbound');
      assert.equal(await h.balance(carol), 7);
      assert.equal((await lastTx(carol)).user_label, 'a b&c');
      await h.assertLedger();
    });

    test("an invoice of a node outside is paid through the node: LNURL Pay Outbound plus the network fee row", async () => {
      mode = 'outside';
      const before = await h.balance(alice);
      const res = await payLnurl(alice, { amt_msat: 9000, lnurlpay_encoded: `lnurlp://${new URL(remoteUrl).host}/pay` });
      mode = 'ok';
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.wtxType.name, 'ln_lnurl_pay_outbound');
      assert.equal(res.body.lnTx.fee_msat, 10);
      assert.equal(res.body.passThru.method, 'lnurlpay');
      const [fee, main] = (await h.request('GET', `/v1/wallet/${alice.id}/transactions`, { key: h.sak })).body;
      assert.equal(main.id, res.body.id);
      assert.equal(fee.wtxType.name, 'network_fee');
      assert.equal(fee.num_satoshis, -1);
      assert.equal(await h.balance(alice), before - 10);
      await h.assertLedger();
    });

    test('an invoice for another amount or metadata, or an ERROR answer, is not paid', async () => {
      const balance = await h.balance(alice);
      const lnurl = encodeLnurl(`${remoteUrl}/pay`);
      const expected = {
        'wrong-amount': [400, 'Requested invoice (5000) and invoice generated (6000) do not match.'],
        'wrong-hash': [400, "The invoice's description hash does not match the LNURL metadata"],
        error: [500, `Could not retrieve pr from ${remoteUrl}/cb`],
        huge: [500, `Could not retrieve pr from ${remoteUrl}/cb`],
      } as const;
      for (const [m, [status, message]] of Object.entries(expected)) {
        mode = m as typeof mode;
        const res = await payLnurl(alice, { amt_msat: 5000, lnurlpay_encoded: lnurl });
        assert.equal(res.status, status, res.text);
        assert.equal(res.body.message, message);
      }
      mode = 'ok';
      assert.equal(await h.balance(alice), balance);
      await h.assertLedger();
    });
  });
});
