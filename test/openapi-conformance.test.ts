import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, type Reply, type RequestOptions, walletOf } from './helpers/harness.ts';
import { decodeLnurlText, startLnurlHarness } from './helpers/lnurl.ts';
import { ConformanceChecker, exampleProblems } from './helpers/openapiConformance.ts';
import { Receiver } from './helpers/receiver.ts';

/** Registered but deliberately left out of /openapi.json, each with its reason. */
const HIDDEN: [RegExp, string][] = [
  [/^\/docs(\/|$)/, 'the docs page and its assets (HTML, JS) are not API'],
  [/^\/openapi\.json$/, 'the document itself'],
  [/^\*$/, 'the CORS preflight (OPTIONS for any path), answered by @fastify/cors'],
  [/^\/metrics$/, 'Prometheus text for scrapers, not JSON API (README, Operations)'],
  [/^\/dashboard(\/|$)/, 'the dashboard page and its files (HTML, CSS, JS) are not API'],
];

/** Full paths and methods out of Fastify's printRoutes tree (HEAD routes mirror GET and are left out). */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) routes.push(`${method} ${path}`);
  }
  return routes;
}

describe('OpenAPI conformance: every route documented, real replies match their schemas', () => {
  let h: Harness;
  let receiver: Receiver;
  let checker: ConformanceChecker;
  const problems: string[] = [];

  /** A request whose reply is checked against the document; full URLs of this server are accepted. */
  async function call(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const relative = path.startsWith(h.url) ? path.slice(h.url.length) : path;
    const reply = await h.request(method, relative, options);
    problems.push(...checker.check(method, relative, reply));
    return reply;
  }

  before(async () => {
    h = await startLnurlHarness();
    receiver = await Receiver.start();
    checker = new ConformanceChecker((await h.request('GET', '/openapi.json')).body);
  });
  after(async () => {
    await receiver.close();
    await h.close();
  });

  test('every registered route is in /openapi.json, except the listed hidden ones', () => {
    const documented = new Set(checker.documented.map((r) => r.replace(/\{(\w+)\}/g, ':$1')));
    const missing = registeredRoutes(h.server.app.printRoutes({ commonPrefix: false })).filter(
      (route) => !documented.has(route) && !HIDDEN.some(([pattern]) => pattern.test(route.split(' ')[1] ?? '')),
    );
    assert.deepEqual(missing, []);
    assert.ok(documented.has('POST /v1/wallet/:wallet_key/invoice'), 'the parser finds nested routes');
  });

  test('every documented example (the object examples are real replies) validates against its schema', async () => {
    const { checked, problems } = exampleProblems((await h.request('GET', '/openapi.json')).body);
    assert.deepEqual(problems, []);
    assert.ok(checked >= 10, `${checked} examples checked`);
  });

  test('a real flow over HTTP: every reply validates against the schema documented for its status', async () => {
    const { sak, pak } = h;
    const domain = new URL(h.url).host;
    assert.equal((await call('GET', '/health')).status, 200);

    const walletBody = (label: string) => ({ user_label: label });
    const hook = await call('POST', '/v1/webhooks', { key: sak, body: { url: receiver.url('/hook'), secret: 's3cret' } });
    assert.equal(hook.status, 201, hook.text);

    const created = await call('POST', '/v1/wallet', { key: sak, body: walletBody('alice') });
    assert.equal(created.status, 201, created.text);
    const alice = walletOf(created.body);
    const bob = walletOf((await call('POST', '/v1/wallet', { key: pak, body: walletBody('bob') })).body);
    assert.equal((await call('POST', '/v1/wallet', { key: sak, body: {} })).status, 400);
    assert.equal((await call('POST', '/v1/wallet', { body: walletBody('x') })).status, 401);
    assert.equal((await call('POST', '/v1/wallet', { key: sak, raw: 'x', headers: { 'Content-Type': 'text/plain' } })).status, 415);
    assert.equal((await call('GET', '/v1/wallets', { key: sak })).status, 200);
    const huge = await call('GET', `/v1/wallets?q=${'%C8%BE'.repeat(3000)}`, { key: sak });
    assert.equal(huge.status, 431, 'a URL over the header limit: refused in LNPay\'s shape');
    assert.equal((await call('GET', '/v1/wallets', { key: pak })).status, 401);
    assert.equal((await call('GET', `/v1/wallet/${alice.id}`, { key: sak })).status, 200);
    assert.equal((await call('GET', `/v1/wallet/${alice.keys.read}`, { key: pak })).status, 200);
    assert.equal((await call('GET', '/v1/wallet/wal_nope', { key: sak })).status, 404);

    const invoice = await call('POST', `/v1/wallet/${alice.keys.invoice}/invoice`, {
      key: pak,
      body: { num_satoshis: 5000, memo: 'funding', passThru: { order: 1 } },
    });
    assert.equal(invoice.status, 201, invoice.text);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.invoice}/invoice`, { key: pak, body: { num_satoshis: 'x' } })).status, 400);
    assert.equal((await call('GET', `/v1/lntx/${invoice.body.id}`, { key: pak })).status, 200);
    assert.equal((await call('GET', '/v1/lntx/lntx_nope', { key: pak })).status, 404);
    const paid = await call('POST', '/v1/sandbox/pay', { key: sak, body: { payment_request: invoice.body.payment_request } });
    assert.equal(paid.status, 200, paid.text);
    assert.equal((await call('POST', '/v1/sandbox/pay', { key: sak, body: { payment_request: 'lnbc1x' } })).status, 400);

    const outside = await call('POST', '/v1/sandbox/invoice', { key: sak, body: { num_satoshis: 100, memo: 'outside' } });
    assert.equal(outside.status, 201, outside.text);
    const external = await call('POST', `/v1/wallet/${alice.keys.admin}/withdraw`, {
      key: pak,
      body: { payment_request: outside.body.payment_request },
    });
    assert.equal(external.status, 201, external.text);
    const bobInvoice = (await call('POST', `/v1/wallet/${bob.keys.invoice}/invoice`, { key: pak, body: { num_satoshis: 50 } })).body;
    const internal = await call('POST', `/v1/wallet/${alice.keys.admin}/withdraw`, {
      key: pak,
      body: { payment_request: bobInvoice.payment_request },
      headers: { 'Idempotency-Key': 'conformance-1' },
    });
    assert.equal(internal.status, 201, internal.text);
    const reused = await call('POST', `/v1/wallet/${alice.keys.admin}/withdraw`, {
      key: pak,
      body: { payment_request: outside.body.payment_request },
      headers: { 'Idempotency-Key': 'conformance-1' },
    });
    assert.equal(reused.status, 422, reused.text);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.admin}/withdraw`, { key: pak, body: { payment_request: 'lnbc' } })).status, 400);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.read}/withdraw`, { key: pak, body: { payment_request: 'lnbc' } })).status, 401);

    const keysend = await call('POST', `/v1/wallet/${alice.keys.admin}/keysend`, {
      key: pak,
      body: { dest_pubkey: outside.body.dest_pubkey, num_satoshis: 10, custom_records: { '7629169': 'hi' } },
    });
    assert.equal(keysend.status, 201, keysend.text);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.admin}/keysend`, { key: pak, body: { dest_pubkey: 'x', num_satoshis: 1 } })).status, 400);

    const transfer = await call('POST', `/v1/wallet/${alice.keys.admin}/transfer`, {
      key: pak,
      body: { dest_wallet_id: bob.id, num_satoshis: 20, memo: 'thanks', lnPayParams: { a: 1 } },
    });
    assert.equal(transfer.status, 201, transfer.text);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.admin}/transfer`, { key: pak, body: { dest_wallet_id: bob.id, num_satoshis: 10 ** 9 } })).status, 400);

    assert.equal((await call('GET', `/v1/wallet/${alice.keys.read}/transactions?per-page=2&page=2`, { key: pak })).status, 200);
    assert.equal((await call('GET', '/v1/wallet-transactions', { key: sak })).status, 200);
    assert.equal((await call('GET', `/v1/wallet-transactions?wallet_id=${bob.id}`, { key: sak })).status, 200);
    assert.equal((await call('GET', '/v1/wallet-transactions?wallet_id=wal_nope', { key: sak })).status, 404);

    // LNURL-withdraw: a wallet app follows the link, then claims with k1 + an invoice of bob.
    const link = await call('GET', `/v1/wallet/${alice.keys.admin}/lnurl/withdraw?num_satoshis=30&memo=hi`, { key: sak });
    assert.equal(link.status, 200, link.text);
    const params = await call('GET', decodeLnurlText(link.body.lnurl));
    assert.equal(params.body.tag, 'withdrawRequest', params.text);
    const pr = (await call('POST', `/v1/wallet/${bob.keys.invoice}/invoice`, { key: pak, body: { num_satoshis: 30 } })).body.payment_request;
    const callback = `${params.body.callback}${params.body.callback.includes('?') ? '&' : '?'}k1=${params.body.k1}&pr=${pr}`;
    assert.equal((await call('GET', callback)).status, 201);
    assert.equal((await call('GET', callback)).body.status, 'ERROR');
    assert.equal((await call('GET', `/v1/wallet/${alice.keys.admin}/lnurl/withdraw-static`, { key: sak })).status, 200);
    assert.equal((await call('GET', `/v1/wallet/${alice.keys.read}/lnurl/withdraw-static`, { key: pak })).status, 401);

    // LNURL-pay and Lightning Addresses.
    const payLink = await call('POST', `/v1/wallet/${bob.keys.admin}/lnurlp`, {
      key: pak,
      body: { lnurlp_identifier: 'bob', lnurlp_short_desc: 'Pay Bob', lnurlp_commentAllowed: 20 },
    });
    assert.equal(payLink.status, 200, payLink.text);
    const linkId = payLink.body.id;
    assert.equal((await call('GET', `/v1/lnurlp/${linkId}`, { key: pak })).status, 200);
    assert.equal((await call('GET', '/v1/lnurlp/lnurlp_nope', { key: pak })).status, 404);
    for (const method of ['POST', 'PUT', 'PATCH']) {
      assert.equal((await call(method, `/v1/lnurlp/${linkId}`, { key: sak, body: { user_label: `via ${method}` } })).status, 200);
    }
    assert.equal((await call('PATCH', `/v1/lnurlp/${linkId}`, { key: sak, body: { lnurlp_commentAllowed: -1 } })).status, 500);
    const payRequest = await call('GET', payLink.body.lnurl_decoded);
    assert.equal(payRequest.body.tag, 'payRequest', payRequest.text);
    assert.ok((await call('GET', `${payLink.body.lnurl_decoded}?amount=2000&comment=hi`)).body.pr);
    assert.equal((await call('GET', `${payLink.body.lnurl_decoded}?amount=abc`)).body.status, 'ERROR');
    assert.equal((await call('GET', '/.well-known/lnurlp/bob')).status, 200);
    assert.equal((await call('GET', '/.well-known/lnurlp/nobody')).status, 400);
    assert.equal((await call('GET', `/v1/lnurlp/probe/bob@${domain}`, { key: pak })).status, 200);
    assert.equal((await call('GET', '/v1/lnurlp/probe/LNURL1BAD', { key: pak })).status, 500);
    const lnurlPay = await call('POST', `/v1/wallet/${alice.keys.admin}/lnurlp/pay`, {
      key: pak,
      body: { amt_msat: 3000, ln_address: `bob@${domain}`, comment: 'for you' },
    });
    assert.equal(lnurlPay.status, 201, lnurlPay.text);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.admin}/lnurlp/pay`, { key: pak, body: { amt_msat: 1000 } })).status, 400);
    assert.equal((await call('POST', `/v1/wallet/${alice.keys.admin}/lnurlp/pay`, { key: pak, body: { amt_msat: 1000, ln_address: 'nope' } })).status, 500);

    // Node endpoints.
    const nodes = await call('GET', '/v1/nodes', { key: sak });
    assert.equal(nodes.status, 200, nodes.text);
    assert.equal((await call('GET', '/v1/node/default', { key: sak })).status, 200);
    assert.equal((await call('GET', '/v1/node/lnod_nope', { key: sak })).status, 404);
    assert.equal((await call('GET', `/v1/node/default/payments/decodeinvoice?payment_request=${bobInvoice.payment_request}`, { key: pak })).status, 200);
    assert.equal((await call('GET', '/v1/node/default/payments/decodeinvoice', { key: pak })).status, 400);
    assert.equal((await call('GET', `/v1/node/default/payments/queryroutes?pub_key=${outside.body.dest_pubkey}&amt=10`, { key: pak })).status, 200);
    assert.equal((await call('GET', `/v1/node/default/payments/queryroutes?pub_key=02${'1'.repeat(64)}&amt=10`, { key: pak })).status, 400);

    // Webhooks: the endpoint saw every event above; its deliveries and one redelivery.
    const hookPath = `/v1/webhooks/${hook.body.id}`;
    await receiver.waitFor('/hook', 1);
    assert.equal((await call('GET', '/v1/webhooks', { key: sak })).status, 200);
    assert.equal((await call('GET', hookPath, { key: sak })).status, 200);
    assert.equal((await call('GET', '/v1/webhooks/iwh_nope', { key: sak })).status, 404);
    assert.equal((await call('PATCH', hookPath, { key: sak, body: { description: 'shop', events: ['wallet_receive'] } })).status, 200);
    assert.equal((await call('POST', '/v1/webhooks', { key: sak, body: { url: 'not a url' } })).status, 400);
    const deliveries = await call('GET', `${hookPath}/deliveries`, { key: sak });
    assert.ok(deliveries.body.length > 0, deliveries.text);
    assert.equal((await call('GET', `${hookPath}/deliveries?status=delivered`, { key: sak })).status, 200);
    const deliveryPath = `${hookPath}/deliveries/${deliveries.body.at(-1).id}`;
    assert.equal((await call('GET', deliveryPath, { key: sak })).status, 200);
    assert.equal((await call('GET', `${hookPath}/deliveries/iwhr_nope`, { key: sak })).status, 404);
    assert.equal((await call('POST', `${deliveryPath}/redeliver`, { key: sak })).status, 202);
    assert.equal((await call('DELETE', hookPath, { key: sak })).status, 204);

    assert.deepEqual(problems, []);
    const unexercised = checker.documented.filter((op) => !checker.exercised.has(op));
    assert.deepEqual(unexercised, [], 'every documented operation was called');
    await h.assertLedger();
  });
});
