import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSigner, encodeInvoice } from '../src/bolt11/index.ts';
import { payInternally } from '../src/services/payInternally.ts';
import type { Db } from '../src/store/db.ts';
import { findIncomingByHash } from '../src/store/lntx.ts';
import { failingOnce } from './helpers/database.ts';
import { Harness, type TestWallet } from './helpers/harness.ts';

/** A valid, unexpired invoice of a node lnpayd cannot reach. */
function foreignInvoice(amountMsat: number | null): string {
  return encodeInvoice(
    {
      network: 'bcrt',
      amountMsat,
      timestamp: Math.floor(Date.now() / 1000),
      paymentHash: randomBytes(32),
      paymentSecret: randomBytes(32),
      description: 'elsewhere',
      expirySeconds: 3600,
      minFinalCltvExpiry: 40,
    },
    createSigner(randomBytes(32)),
  );
}

describe('pay invoice (withdraw)', () => {
  let h: Harness;
  let alice: TestWallet;
  let bob: TestWallet;
  const pay = (w: TestWallet, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.request('POST', `/v1/wallet/${w.keys.admin}/withdraw`, { key: h.pak, body, headers });
  const outsideInvoice = async (sats: number, extra: Record<string, unknown> = {}) =>
    (await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: sats, memo: 'outside', ...extra } })).body;

  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  test('an invoice of another of our wallets settles internally: both sides in one go, no fee', async () => {
    alice = await h.createWallet('alice');
    bob = await h.createWallet('bob');
    await h.fund(alice, 100);
    const invoice = await h.createInvoice(bob, { num_satoshis: 30, memo: 'coffee', passThru: { order: 7 } });
    const res = await pay(alice, { payment_request: invoice.payment_request, passThru: { ref: 'a1' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.num_satoshis, -30);
    assert.deepEqual(res.body.wtxType, { layer: 'ln', name: 'ln_withdrawal', display_name: 'LN Withdrawal' });
    assert.equal(res.body.wal.id, alice.id);
    assert.equal(res.body.wal.balance, 70);
    assert.equal(res.body.lnTx.settled, 1);
    assert.equal(res.body.lnTx.fee_msat, 0);
    assert.equal(res.body.lnTx.r_hash_decoded, invoice.r_hash_decoded);
    assert.deepEqual(res.body.passThru, { ref: 'a1', method: 'api' });
    assert.equal(await h.balance(alice), 70);
    assert.equal(await h.balance(bob), 30);
    const paid = await h.request('GET', `/v1/lntx/${invoice.id}`, { key: h.sak });
    assert.equal(paid.body.settled, 1);
    assert.equal(paid.body.payment_preimage, res.body.lnTx.payment_preimage);
    const bobTx = await h.request('GET', `/v1/wallet/${bob.id}/transactions`, { key: h.sak });
    assert.equal(bobTx.body[0].wtxType.name, 'ln_deposit');
    assert.deepEqual(bobTx.body[0].passThru, { order: 7, wallet_id: bob.id });
    await h.assertLedger();
  });

  test('refusals are 400 with LNPay messages and move nothing', async () => {
    const before = [await h.balance(alice), await h.balance(bob)];
    const own = await h.createInvoice(alice, { num_satoshis: 1 });
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [{}, 'Payment Request cannot be blank.'],
      [{ payment_request: 'lnbc1nonsense' }, /^Unable to decode invoice: /],
      [{ payment_request: foreignInvoice(null) }, 'Cannot process any amount invoices'],
      [{ payment_request: (await h.createInvoice(bob, { num_satoshis: 71 })).payment_request }, 'Invoice too large :) Max balance: 70'],
      [{ payment_request: own.payment_request }, 'Unable to pay LN Invoice: cannot pay an invoice of the same wallet'],
      [{ payment_request: foreignInvoice(5000) }, 'Unable to pay LN Invoice: FAILURE_REASON_NO_ROUTE'],
      [{ payment_request: (await outsideInvoice(10)).payment_request, fee_limit_msat: 0 }, 'Unable to pay LN Invoice: FAILURE_REASON_NO_ROUTE'],
      [{ payment_request: (await outsideInvoice(10)).payment_request, fee_limit_msat: -1 }, 'Fee Limit Msat must be greater than or equal to "0".'],
      [{ payment_request: (await outsideInvoice(10)).payment_request, passThru: '{bad' }, 'passThru data must be valid json'],
    ];
    for (const [body, message] of cases) {
      const res = await pay(alice, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`);
      if (typeof message === 'string') assert.equal(res.body.message, message);
      else assert.match(res.body.message, message);
    }
    assert.deepEqual([await h.balance(alice), await h.balance(bob)], before);
    await h.assertLedger();
  });

  test('an invoice is paid once: paying it again is refused', async () => {
    const invoice = await h.createInvoice(bob, { num_satoshis: 5 });
    assert.equal((await pay(alice, { payment_request: invoice.payment_request })).status, 201);
    const again = await pay(alice, { payment_request: invoice.payment_request });
    assert.equal(again.status, 400);
    assert.equal(again.body.message, 'Unable to pay LN Invoice: invoice is already paid');
    const outside = await outsideInvoice(3);
    assert.equal((await pay(alice, { payment_request: outside.payment_request })).status, 201);
    const twice = await pay(alice, { payment_request: outside.payment_request });
    assert.equal(twice.status, 400);
    assert.equal(twice.body.message, 'Unable to pay LN Invoice: invoice is already paid or being paid');
    await h.assertLedger();
  });

  test('paying through the node: reserve held, real fee charged in whole sats, network_fee row, rest refunded', async () => {
    const payer = await h.createWallet('payer');
    await h.fund(payer, 1000);
    const outside = await outsideInvoice(500);
    const res = await pay(payer, { payment_request: outside.payment_request, fee_limit_msat: 20_000 });
    assert.equal(res.status, 201, res.text);
    // simulated fee: 1 msat + 0.1% = 501 msat, charged as 1 sat
    assert.equal(res.body.lnTx.fee_msat, 501);
    assert.equal(res.body.lnTx.dest_pubkey, outside.dest_pubkey);
    assert.equal(res.body.wal.balance, 500);
    assert.equal(await h.balance(payer), 499);
    const txs = await h.request('GET', `/v1/wallet/${payer.id}/transactions`, { key: h.sak });
    const fee = txs.body[0];
    assert.equal(fee.wtxType.name, 'network_fee');
    assert.equal(fee.num_satoshis, -1);
    assert.equal(fee.user_label, 'Network fee');
    assert.deepEqual(fee.passThru, { source_transaction: res.body.id, fee_target_wallet: 'contained' });
    assert.equal(fee.wal.balance, 499);
    const events = await h.server.ctx.db.query<{ name: string }>(
      "select name from events where name in ('wallet_send', 'network_fee_incurred') order by seq desc limit 2",
    );
    assert.deepEqual(events.map((e) => e.name).sort(), ['network_fee_incurred', 'wallet_send']);
    await h.assertLedger();
  });

  test('a fee that takes the whole reserve leaves no refund, and the rows still show the true balances', async () => {
    const payer = await h.createWallet('exact reserve');
    await h.fund(payer, 1000);
    // simulated fee 501 msat, charged as 1 sat = the whole 1000 msat reserve: the wallet's net posting is zero
    const res = await pay(payer, { payment_request: (await outsideInvoice(500)).payment_request, fee_limit_msat: 1000 });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.wal.balance, 500);
    const [fee] = (await h.request('GET', `/v1/wallet/${payer.id}/transactions`, { key: h.sak })).body;
    assert.equal(fee.wtxType.name, 'network_fee');
    assert.equal(fee.wal.balance, 499);
    assert.equal(await h.balance(payer), 499);
    await h.assertLedger();
  });

  test('a failed payment through the node refunds everything and records wallet_send_failure', async () => {
    const payer = await h.createWallet('failing');
    await h.fund(payer, 50);
    const res = await pay(payer, { payment_request: foreignInvoice(10_000) });
    assert.equal(res.status, 400);
    assert.equal(await h.balance(payer), 50);
    const [event] = await h.server.ctx.db.query<{ data: any }>(
      "select data from events where name = 'wallet_send_failure' order by seq desc limit 1",
    );
    assert.equal(event?.data.spontaneous, 0);
    assert.equal(event?.data.wal.id, payer.id);
    assert.equal(event?.data.failureReason, 'Unable to pay LN Invoice: FAILURE_REASON_NO_ROUTE');
    await h.assertLedger();
  });

  test('keys without wallet_withdraw cannot pay', async () => {
    const invoice = await h.createInvoice(bob, { num_satoshis: 1 });
    for (const key of [alice.keys.invoice, alice.keys.read, alice.keys.lnurlPay]) {
      const res = await h.request('POST', `/v1/wallet/${key}/withdraw`, { key: h.pak, body: { payment_request: invoice.payment_request } });
      assert.equal(res.status, 401);
      assert.equal(res.body.message, `${key.split('_')[0]}_ access key provided does not permission to do this: wallet_withdraw`);
    }
    for (const key of [alice.keys.lnurlWithdraw, alice.keys.extAdmin]) {
      const inv = await h.createInvoice(bob, { num_satoshis: 1 });
      const res = await h.request('POST', `/v1/wallet/${key}/withdraw`, { key: h.pak, body: { payment_request: inv.payment_request } });
      assert.equal(res.status, 201, res.text);
    }
    await h.assertLedger();
  });

  test('40 parallel payments that each need the whole balance: exactly one succeeds', async () => {
    const payer = await h.createWallet('racer');
    const payee = await h.createWallet('racee');
    await h.fund(payer, 100);
    const internal = await Promise.all(Array.from({ length: 20 }, () => h.createInvoice(payee, { num_satoshis: 100 })));
    const outside = await Promise.all(Array.from({ length: 20 }, () => outsideInvoice(99)));
    const results = await Promise.all(
      [...internal, ...outside].map((inv) => pay(payer, { payment_request: inv.payment_request, fee_limit_msat: 1000 })),
    );
    const ok = results.filter((r) => r.status === 201);
    assert.equal(ok.length, 1, results.map((r) => `${r.status} ${r.body?.message ?? ''}`).join('\n'));
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 400);
      assert.match(r.body.message, /^Invoice too large :\) Max balance: \d+$/);
    }
    assert.ok((await h.balance(payer)) <= 1);
    await h.assertLedger();
  });

  test('MAX_SEND_SATS refuses bigger payments with LNPay\'s message', async () => {
    const limited = await Harness.start({ MAX_SEND_SATS: '10' });
    try {
      const a = await limited.createWallet();
      const b = await limited.createWallet();
      await limited.fund(a, 50);
      const inv = await limited.createInvoice(b, { num_satoshis: 11 });
      const res = await limited.request('POST', `/v1/wallet/${a.keys.admin}/withdraw`, {
        key: limited.sak,
        body: { payment_request: inv.payment_request },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.message, 'Sends are limited to: 10 satoshi per request');
    } finally {
      await limited.close();
    }
  });

  test('internal payments made at once share transactions; each settles or is refused on its own', async () => {
    const payer = await h.createWallet('together-payer');
    const payees = await Promise.all(Array.from({ length: 6 }, (_, i) => h.createWallet(`together-payee${i}`)));
    await h.fund(payer, 10);
    const invoices = await Promise.all(payees.map((p) => h.createInvoice(p, { num_satoshis: 3 })));
    const results = await Promise.all(invoices.map((inv) => pay(payer, { payment_request: inv.payment_request })));
    // 10 sats pay for three invoices of 3, whichever three come first; the others stay unpaid.
    const paid = results.map((r) => r.status === 201);
    assert.equal(paid.filter(Boolean).length, 3, results.map((r) => `${r.status} ${r.body?.message ?? ''}`).join('\n'));
    for (const r of results.filter((x) => x.status !== 201)) assert.match(r.body.message, /^Invoice too large :\) Max balance: 1$/);
    for (const [i, inv] of invoices.entries()) {
      assert.equal((await h.request('GET', `/v1/lntx/${inv.id}`, { key: h.sak })).body.settled, paid[i] ? 1 : 0);
      assert.equal(await h.balance(payees[i]!), paid[i] ? 3 : 0);
    }
    assert.deepEqual(results.filter((r) => r.status === 201).map((r) => r.body.wal.balance).sort((x, y) => x - y), [1, 4, 7]);

    // One invoice paid by five wallets at once: exactly one pays it.
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => h.createWallet(`together-rival${i}`)));
    for (const o of others) await h.fund(o, 5);
    const contested = await h.createInvoice(payees[0]!, { num_satoshis: 2 });
    const race = await Promise.all(others.map((o) => pay(o, { payment_request: contested.payment_request })));
    assert.equal(race.filter((r) => r.status === 201).length, 1, race.map((r) => `${r.status} ${r.body?.message ?? ''}`).join('\n'));
    for (const r of race.filter((x) => x.status !== 201)) assert.equal(r.body.message, 'Unable to pay LN Invoice: invoice is already paid');
    let spent = 0;
    for (const o of others) spent += 5 - (await h.balance(o));
    assert.equal(spent, 2);
    await h.assertLedger();
  });

  test('under load internal payments share commits: fewer transactions than payments', async () => {
    const payers = await Promise.all(Array.from({ length: 4 }, (_, i) => h.createWallet(`load-payer${i}`)));
    const payees = await Promise.all(Array.from({ length: 4 }, (_, i) => h.createWallet(`load-payee${i}`)));
    for (const p of payers) await h.fund(p, 100);
    const invoices = await Promise.all(Array.from({ length: 40 }, (_, i) => h.createInvoice(payees[i % 4]!, { num_satoshis: 1 })));
    const results = await Promise.all(invoices.map((inv, i) => pay(payers[i % 4]!, { payment_request: inv.payment_request })));
    assert.ok(results.every((r) => r.status === 201), results.map((r) => r.status).join());
    const [{ payments, transactions }] = await h.server.ctx.db.query<{ payments: number; transactions: number }>(
      `select count(*)::int8 as payments, count(distinct xmin::text)::int8 as transactions
         from lntx where direction = 'in' and id = any($1::text[]) and settled = 1`,
      [invoices.map((inv) => inv.id)],
    ) as [{ payments: number; transactions: number }];
    assert.equal(payments, 40);
    assert.ok(transactions < 40, `${transactions} transactions for 40 payments`);
    for (const p of payees) assert.equal(await h.balance(p), 10);
    await h.assertLedger();
  });

  test('a transaction of internal payments the database refuses is retried payment by payment; a lost connection is not retried', async () => {
    const payer = await h.createWallet('retry-payer');
    const payee = await h.createWallet('retry-payee');
    await h.fund(payer, 50);
    const send = async (db: Db) => {
      const ctx = { ...h.server.ctx, db };
      const invoices = await Promise.all(Array.from({ length: 4 }, () => h.createInvoice(payee, { num_satoshis: 1 })));
      const payments = await Promise.all(invoices.map((inv) => findIncomingByHash(h.server.ctx.db, inv.r_hash_decoded)));
      return Promise.allSettled(
        payments.map((lntx) =>
          payInternally(ctx, {
            payer: { id: payer.id },
            incoming: { paymentHash: lntx!.payment_hash, preimage: lntx!.payment_preimage!, amountMsat: lntx!.amount_msat! },
            payeeWalletId: payee.id,
            send: { destPubkey: lntx!.dest_pubkey, paymentRequest: lntx!.payment_request, memo: null, descriptionHash: null, expiry: 86400, expiresAt: null, isKeysend: null, customRecords: null },
            passThru: {},
            idempotency: undefined,
          }),
        ),
      );
    };
    const refused = await send(failingOnce(h.server.ctx.db, '40001'));
    assert.deepEqual(refused.map((r) => r.status), Array(4).fill('fulfilled'));
    assert.equal(await h.balance(payer), 46);
    const lost = await send(failingOnce(h.server.ctx.db, '57P01'));
    assert.deepEqual(lost.map((r) => r.status), Array(4).fill('rejected'));
    assert.equal(await h.balance(payer), 46);
    assert.equal(await h.balance(payee), 4);
    await h.assertLedger();
  });
});
