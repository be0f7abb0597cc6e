import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { EVENTS } from '../src/model/events.ts';
import { Harness, type TestWallet } from './helpers/harness.ts';
import { Receiver, eventually } from './helpers/receiver.ts';

/** Short retry delays; a timeout long enough that a loaded machine does not cause spurious retries. */
const FAST_RETRIES = {
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_TIMEOUT_MS: '5000',
  WEBHOOK_MAX_ATTEMPTS: '4',
};

const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function addEndpoint(h: Harness, body: Record<string, unknown>): Promise<string> {
  const res = await h.request('POST', '/v1/webhooks', { key: h.sak, body });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

async function deliveries(h: Harness, endpointId: string, query = ''): Promise<any[]> {
  return (await h.request('GET', `/v1/webhooks/${endpointId}/deliveries${query}`, { key: h.sak })).body;
}

async function delivery(h: Harness, endpointId: string, deliveryId: string) {
  return (await h.request('GET', `/v1/webhooks/${endpointId}/deliveries/${deliveryId}`, { key: h.sak })).body;
}

/** Waits until the endpoint has `count` deliveries, none pending. */
function settled(h: Harness, endpointId: string, count: number): Promise<any[]> {
  return eventually(async () => {
    const all = await deliveries(h, endpointId);
    return all.length === count && all.every((d) => d.status !== 'pending') && all;
  });
}

function failedOnly(h: Harness, endpointId: string, attempts: number): Promise<any[]> {
  return eventually(async () => {
    const list = await deliveries(h, endpointId, '?status=failed');
    return list.length === 1 && list[0].attempts === attempts && list;
  });
}

describe('webhook deliveries', () => {
  let h: Harness;
  let r: Receiver;
  let alice: TestWallet;
  let bob: TestWallet;
  before(async () => {
    r = await Receiver.start();
    h = await Harness.start(FAST_RETRIES);
  });
  after(async () => {
    await h.close();
    await r.close();
  });

  test('every event type arrives in the LNPay envelope with LNPay headers and a signature over the raw body', async () => {
    const all = await addEndpoint(h, { url: r.url('/all'), secret: 'whsec_test' });
    const receivesOnly = await addEndpoint(h, { url: r.url('/receives'), events: ['wallet_receive'] });

    alice = await h.createWallet('alice');
    bob = await h.createWallet('bob');
    await h.fund(alice, 10_000);
    const transfer = await h.request('POST', `/v1/wallet/${alice.keys.admin}/transfer`, {
      key: h.pak,
      body: { dest_wallet_id: bob.id, num_satoshis: 100 },
    });
    assert.equal(transfer.status, 201, transfer.text);
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 2000, memo: 'outside' } });
    const paid = await h.request('POST', `/v1/wallet/${alice.keys.admin}/withdraw`, {
      key: h.pak,
      body: { payment_request: outside.body.payment_request },
    });
    assert.equal(paid.status, 201, paid.text);
    const failing = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 300, fail: 1 } });
    const refused = await h.request('POST', `/v1/wallet/${alice.keys.admin}/withdraw`, {
      key: h.pak,
      body: { payment_request: failing.body.payment_request },
    });
    assert.equal(refused.status, 400, refused.text);

    const hooks = await r.waitFor('/all', 8);
    const byName = (name: string) => hooks.filter((k) => k.body.event.name === name);
    assert.deepEqual(
      hooks.map((k) => k.body.event.name).sort(),
      [
        'network_fee_incurred',
        'wallet_created',
        'wallet_created',
        'wallet_receive',
        'wallet_send',
        'wallet_send_failure',
        'wallet_transfer_in',
        'wallet_transfer_out',
      ],
    );
    for (const hook of hooks) {
      const name = hook.body.event.name as keyof typeof EVENTS;
      assert.equal(hook.headers['content-type'], 'application/json');
      assert.equal(hook.headers['user-agent'], 'LNPay-HookBot (lnpayd)');
      assert.equal(hook.headers['x-lnpay-event'], name);
      assert.match(String(hook.headers['x-lnpay-hookid']), /^iwhr_[A-Za-z0-9]{24}$/);
      assert.equal(hook.headers['x-lnpay-signature'], hmac('whsec_test', hook.raw));
      assert.deepEqual(Object.keys(hook.body), ['id', 'created_at', 'event', 'data']);
      assert.match(hook.body.id, /^evt_[A-Za-z0-9]{24}$/);
      assert.deepEqual(hook.body.event, { id: EVENTS[name].id, type: EVENTS[name].type, name, display_name: EVENTS[name].display_name });
      const [stored] = await h.server.ctx.db.query<{ name: string }>('select name from events where id = $1', [hook.body.id]);
      assert.equal(stored?.name, name, 'the envelope id is the outbox event id');
    }

    assert.deepEqual(byName('wallet_created').map((k) => k.body.data.wal.id).sort(), [alice.id, bob.id].sort());
    const receives = byName('wallet_receive');
    assert.equal(receives.length, 1);
    assert.equal(receives[0]?.body.data.wtx.wtxType.name, 'ln_deposit');
    assert.equal(receives[0]?.body.data.wtx.num_satoshis, 10_000);
    assert.equal(receives[0]?.body.data.wtx.lnTx.settled, 1);
    assert.equal(byName('wallet_transfer_out')[0]?.body.data.wtx.num_satoshis, -100);
    assert.equal(byName('wallet_transfer_in')[0]?.body.data.wtx.wal.id, bob.id);
    const send = byName('wallet_send')[0]?.body.data.wtx;
    assert.equal(send.wtxType.name, 'ln_withdrawal');
    assert.equal(send.num_satoshis, -2000);
    assert.equal(send.id, paid.body.id, 'the wtx in the hook is the one the API answered');
    const fee = byName('network_fee_incurred')[0]?.body.data.wtx;
    assert.equal(fee.wtxType.name, 'network_fee');
    assert.equal(fee.passThru.source_transaction, send.id);
    const failure = byName('wallet_send_failure')[0]?.body.data;
    assert.equal(failure.spontaneous, 0);
    assert.equal(failure.wal.id, alice.id);
    assert.equal(failure.failureReason, refused.body.message);
    assert.equal(failure.node_request_parameters.payment_request, failing.body.payment_request);

    await settled(h, all, 8);
    const onlyReceives = await settled(h, receivesOnly, 1);
    assert.equal(onlyReceives[0].event, 'wallet_receive');
    const [unsigned] = r.received('/receives');
    assert.equal(unsigned?.headers['x-lnpay-signature'], undefined, 'no secret, no signature');
    await h.assertLedger();
  });

  test('a receiver failing twice then answering 200 gets the delivery once, with two failed attempts logged', async () => {
    r.on('/flaky', (_hook, n, res) => {
      res.statusCode = n < 2 ? 500 : 200;
      res.end(n < 2 ? 'try later' : 'thanks');
    });
    const flaky = await addEndpoint(h, { url: r.url('/flaky'), events: ['wallet_created'] });
    await h.createWallet('flaky');
    const hooks = await r.waitFor('/flaky', 3);
    const [one] = await settled(h, flaky, 1);
    assert.equal(one.status, 'delivered');
    assert.equal(one.attempts, 3);
    assert.equal(one.last_status_code, 200);
    assert.equal(new Set(hooks.map((k) => k.raw)).size, 1, 'retries send the identical body');
    assert.deepEqual([...new Set(hooks.map((k) => k.headers['x-lnpay-hookid']))], [one.id]);
    const detail = await delivery(h, flaky, one.id);
    assert.deepEqual(
      detail.attempt_log.map((a: any) => [a.attempt, a.status_code, a.response_body]),
      [
        [1, 500, 'try later'],
        [2, 500, 'try later'],
        [3, 200, 'thanks'],
      ],
    );
    assert.deepEqual(detail.payload, hooks[0]?.body);
    await sleep(300);
    assert.equal(r.received('/flaky').length, 3, 'nothing after the 2xx');
  });

  test('410 Gone fails the delivery at once and disables the endpoint', async () => {
    r.answer('/gone', 410);
    const gone = await addEndpoint(h, { url: r.url('/gone'), events: ['wallet_created'] });
    await h.createWallet('gone 1');
    const [failed] = await settled(h, gone, 1);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.last_status_code, 410);
    assert.equal((await h.request('GET', `/v1/webhooks/${gone}`, { key: h.sak })).body.active, 0);
    await h.createWallet('gone 2');
    await sleep(200);
    assert.equal((await deliveries(h, gone)).length, 1, 'a disabled endpoint gets no new deliveries');
    assert.equal(r.received('/gone').length, 1);
  });

  test('a refused operation records no event and queues no delivery', async () => {
    const transfers = await addEndpoint(h, { url: r.url('/transfers'), events: ['wallet_transfer_out', 'wallet_transfer_in', 'wallet_send'] });
    const [before] = await h.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from events');
    const tooMuch = await h.request('POST', `/v1/wallet/${bob.keys.admin}/transfer`, {
      key: h.pak,
      body: { dest_wallet_id: alice.id, num_satoshis: 101 },
    });
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.body.message, 'Insufficient balance in source wallet');
    const undecodable = await h.request('POST', `/v1/wallet/${bob.keys.admin}/withdraw`, { key: h.pak, body: { payment_request: 'lnbc1garbage' } });
    assert.equal(undecodable.status, 400);
    await sleep(200);
    const [afterwards] = await h.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from events');
    assert.equal(afterwards?.n, before?.n);
    assert.deepEqual(await deliveries(h, transfers), []);
    assert.equal(r.received('/transfers').length, 0);
  });

  test('redeliver sends the same envelope and HookId again, signed with the current secret', async () => {
    const endpoint = await addEndpoint(h, { url: r.url('/replay'), events: ['wallet_created'], secret: 'old' });
    await h.createWallet('replayed');
    const [first] = await r.waitFor('/replay', 1);
    const [original] = await settled(h, endpoint, 1);
    const patched = await h.request('PATCH', `/v1/webhooks/${endpoint}`, { key: h.sak, body: { secret: 'new' } });
    assert.equal(patched.status, 200);

    const queued = await h.request('POST', `/v1/webhooks/${endpoint}/deliveries/${original.id}/redeliver`, { key: h.sak });
    assert.equal(queued.status, 202, queued.text);
    assert.equal(queued.body.id, original.id);
    assert.equal(queued.body.status, 'pending');
    const [, second] = await r.waitFor('/replay', 2);
    assert.equal(second?.raw, first?.raw);
    assert.equal(second?.body.id, first?.body.id, 'same evt_ id');
    assert.equal(second?.headers['x-lnpay-hookid'], original.id);
    assert.equal(second?.headers['x-lnpay-signature'], hmac('new', String(second?.raw)));
    const [again] = await settled(h, endpoint, 1);
    assert.equal(again.status, 'delivered');
    assert.equal(again.attempts, 2);
  });

  test('a redeliver of a failed delivery is one attempt: failing again leaves it failed', async () => {
    r.answer('/down', 503);
    const down = await addEndpoint(h, { url: r.url('/down'), events: ['wallet_created'] });
    await h.createWallet('down');
    const [failed] = await failedOnly(h, down, 4);
    const queued = await h.request('POST', `/v1/webhooks/${down}/deliveries/${failed.id}/redeliver`, { key: h.sak });
    assert.equal(queued.status, 202);
    const [again] = await failedOnly(h, down, 5);
    assert.equal(again.last_status_code, 503);
    await sleep(200);
    assert.equal(r.received('/down').length, 5);
  });

  test('an endpoint added later gets no older events; a deleted one gets nothing more', async () => {
    const later = await addEndpoint(h, { url: r.url('/later'), events: ['wallet_created'] });
    assert.deepEqual(await deliveries(h, later), []);
    const deleted = await h.request('DELETE', `/v1/webhooks/${later}`, { key: h.sak });
    assert.equal(deleted.status, 204);
    await h.createWallet('after delete');
    await sleep(200);
    assert.equal(r.received('/later').length, 0);
    const list = await h.request('GET', `/v1/webhooks/${later}/deliveries`, { key: h.sak });
    assert.equal(list.status, 404);
  });
});

describe('a hanging receiver', () => {
  let h: Harness;
  let r: Receiver;
  before(async () => {
    r = await Receiver.start();
    h = await Harness.start({ ...FAST_RETRIES, WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_MAX_ATTEMPTS: '2' });
  });
  after(async () => {
    await h.close();
    await r.close();
  });

  test('is timed out and retried up to the limit, without holding up another endpoint', async () => {
    r.on('/hang', () => {});
    const hang = await addEndpoint(h, { url: r.url('/hang'), events: ['wallet_created'] });
    const fast = await addEndpoint(h, { url: r.url('/fast'), events: ['wallet_created'] });
    await h.createWallet('hang');
    await r.waitFor('/fast', 1);
    const [inFlight] = await deliveries(h, hang);
    assert.equal(inFlight.status, 'pending');
    assert.deepEqual((await delivery(h, hang, inFlight.id)).attempt_log, [], 'the other endpoint was served while the first attempt hung');
    await settled(h, fast, 1);
    const [failed] = await failedOnly(h, hang, 2);
    assert.equal(failed.last_status_code, null);
    assert.equal(failed.last_error, 'timed out after 1500 ms');
    assert.equal(failed.next_attempt_at, null);
    const detail = await delivery(h, hang, failed.id);
    assert.deepEqual(detail.attempt_log.map((a: any) => a.attempt), [1, 2]);
    for (const attempt of detail.attempt_log) assert.ok(attempt.duration_ms >= 1400, `attempt took ${attempt.duration_ms} ms`);
    assert.equal(r.received('/hang').length, 2);
  });
});
