import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness, type TestWallet } from './helpers/harness.ts';
import { labelValues, sample } from './helpers/prometheus.ts';
import { Receiver, eventually } from './helpers/receiver.ts';

describe('metrics at /metrics', () => {
  let h: Harness;
  let r: Receiver;
  let alice: TestWallet;
  let bob: TestWallet;
  const scrape = async () => {
    const res = await h.request('GET', '/metrics');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text;
  };
  const pay = (w: TestWallet, paymentRequest: string) =>
    h.request('POST', `/v1/wallet/${w.keys.admin}/withdraw`, { key: h.pak, body: { payment_request: paymentRequest } });
  const outsideInvoice = async (body: Record<string, unknown>) =>
    (await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { memo: 'outside', ...body } })).body.payment_request as string;

  before(async () => {
    r = await Receiver.start();
    h = await Harness.start({ WEBHOOK_POLL_MS: '20' });
    alice = await h.createWallet('alice');
    bob = await h.createWallet('bob');
  });
  after(async () => {
    await h.close();
    await r.close();
  });

  test('a real flow moves each business counter by exactly what happened', async () => {
    const hook = await h.request('POST', '/v1/webhooks', { key: h.sak, body: { url: r.url('/hooks'), events: ['wallet_transfer_in'] } });
    assert.equal(hook.status, 201, hook.text);
    const before = await scrape();
    const count = (text: string, name: string, labels: Record<string, string> = {}) => sample(text, name, labels) - sample(before, name, labels);

    await h.fund(alice, 10_000);
    const internal = await h.createInvoice(bob, { num_satoshis: 100 });
    assert.equal((await pay(alice, internal.payment_request)).status, 201);
    const failed = await pay(alice, await outsideInvoice({ num_satoshis: 50, fail: 1 }));
    assert.equal(failed.status, 400, failed.text);
    const outgoing = await pay(alice, await outsideInvoice({ num_satoshis: 2000 }));
    assert.equal(outgoing.status, 201, outgoing.text);
    const transfer = await h.request('POST', `/v1/wallet/${alice.keys.admin}/transfer`, {
      key: h.pak,
      body: { dest_wallet_id: bob.id, num_satoshis: 10 },
    });
    assert.equal(transfer.status, 201, transfer.text);
    await r.waitFor('/hooks', 1);
    await h.assertLedger();

    // The webhook attempt is recorded just after the receiver answered: wait for that commit.
    const text = await eventually(async () => {
      const t = await scrape();
      return count(t, 'lnpayd_webhook_attempts_total', { outcome: 'delivered' }) >= 1 && t;
    });
    assert.equal(count(text, 'lnpayd_invoices_created_total'), 2, 'funding invoice and bob’s invoice');
    assert.equal(count(text, 'lnpayd_invoices_settled_total'), 2, 'funding (sandbox) and internal payment');
    assert.equal(count(text, 'lnpayd_payments_total', { outcome: 'internal' }), 1);
    assert.equal(count(text, 'lnpayd_payments_total', { outcome: 'outgoing_failed' }), 1);
    assert.equal(count(text, 'lnpayd_payments_total', { outcome: 'outgoing_succeeded' }), 1);
    assert.equal(count(text, 'lnpayd_payment_fees_paid_msat_total'), outgoing.body.lnTx.fee_msat);
    assert.equal(count(text, 'lnpayd_webhook_attempts_total', { outcome: 'delivered' }), 1);
    assert.equal(sample(text, 'lnpayd_webhook_backlog'), 0);
    assert.equal(sample(text, 'lnpayd_payments_in_flight'), 0);
    assert.equal(sample(text, 'lnpayd_payments_in_flight_msat'), 0);
    const route = { route: '/v1/wallet/:wallet_key/withdraw', method: 'POST' };
    assert.equal(count(text, 'lnpayd_http_requests_total', { ...route, status: '201' }), 2);
    assert.equal(count(text, 'lnpayd_http_requests_total', { ...route, status: '400' }), 1);
    assert.equal(count(text, 'lnpayd_http_request_duration_seconds_count', route), 3);
    assert.ok(sample(text, 'process_cpu_user_seconds_total') > 0, 'process metrics');
    assert.ok(sample(text, 'lnpayd_db_operations_in_flight', { kind: 'query' }) >= 0);
  });

  test('route labels are patterns: no access key or wallet id from a URL ever appears', async () => {
    await h.request('GET', `/v1/wallet/${alice.keys.read}/transactions`, { key: h.pak });
    await h.request('GET', `/v1/wallet/${alice.id}?access-token=${h.sak}`);
    await h.request('GET', `/nothing/here/${alice.keys.admin}`);
    const text = await scrape();
    const routes = labelValues(text, 'lnpayd_http_requests_total', 'route');
    assert.ok(routes.includes('/v1/wallet/:wallet_key/transactions'), routes.join(' '));
    assert.ok(routes.includes('unmatched'));
    for (const secret of [alice.keys.read, alice.keys.admin, alice.id, h.sak, h.pak]) assert.ok(!text.includes(secret), 'a key leaked into /metrics');
  });

  test('the ledger invariant gauge shows the periodic check’s result (run at start), and takes a broken one', async () => {
    const checkedAt = await eventually(async () => {
      const text = await scrape();
      return sample(text, 'lnpayd_ledger_invariants_ok') === 1 && sample(text, 'lnpayd_ledger_invariants_checked_at_seconds');
    });
    assert.ok(Math.abs(checkedAt - Date.now() / 1000) < 600, 'checked just now');
    h.server.metrics.ledgerChecked(false, 1_700_000_000);
    let text = await scrape();
    assert.equal(sample(text, 'lnpayd_ledger_invariants_ok'), 0);
    assert.equal(sample(text, 'lnpayd_ledger_invariants_checked_at_seconds'), 1_700_000_000);
    h.server.metrics.ledgerChecked(true, 1_700_000_060);
    text = await scrape();
    assert.equal(sample(text, 'lnpayd_ledger_invariants_ok'), 1);
  });

  test('/health still answers', async () => {
    const res = await h.request('GET', '/health');
    assert.deepEqual([res.status, res.body], [200, { status: 'ok' }]);
  });
});

describe('METRICS_TOKEN', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ METRICS_TOKEN: 'scrape-me-please' });
  });
  after(() => h.close());

  test('without the right bearer token → 401 in LNPay’s shape; with it → the metrics', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong' }, { Authorization: 'Basic c2NyYXBlLW1lLXBsZWFzZQ==' }];
    for (const headers of attempts) {
      const res = await h.request('GET', '/metrics', { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.deepEqual(res.body, { name: 'Unauthorized', message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>', code: 0, status: 401 });
    }
    const res = await h.request('GET', '/metrics', { headers: { Authorization: 'Bearer scrape-me-please' } });
    assert.equal(res.status, 200);
    assert.match(res.text, /^# HELP lnpayd_/m);
  });
});
