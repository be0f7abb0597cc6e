import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness } from './helpers/harness.ts';

describe('node endpoints', () => {
  let h: Harness;
  let nodeId: string;
  let pubkey: string;

  before(async () => {
    h = await Harness.start();
    nodeId = h.server.ctx.nodeId;
    pubkey = h.server.ctx.nodePubkey;
  });
  after(() => h.close());

  test('the secret key lists and reads the node; the public key may not', async () => {
    const list = await h.request('GET', '/v1/nodes', { key: h.sak });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.length, 1);
    assert.equal(list.headers.get('x-pagination-total-count'), '1');
    const node = list.body[0];
    assert.equal(node.id, nodeId);
    assert.equal(node.default_pubkey, pubkey);
    assert.equal(node.is_custodian, 1);
    assert.equal(node.network, 'regtest');
    for (const path of ['default', nodeId]) {
      const one = await h.request('GET', `/v1/node/${path}`, { key: h.sak });
      assert.deepEqual(one.body, node);
    }
    const byPak = await h.request('GET', '/v1/nodes', { key: h.pak });
    assert.equal(byPak.status, 401);
    assert.equal(byPak.body.message, 'This resource can only be access with secret access key.');
    const unknown = await h.request('GET', '/v1/node/lnod_other', { key: h.sak });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, 'Invalid node id: lnod_other');
  });

  test('decodeinvoice answers in LND protobuf-JSON with the three snake_case keys', async () => {
    const wallet = await h.createWallet();
    const invoice = await h.createInvoice(wallet, { num_satoshis: 69, memo: 'Demo Memo' });
    const res = await h.request(
      'GET',
      `/v1/node/default/payments/decodeinvoice?payment_request=${invoice.payment_request}`,
      { key: h.pak },
    );
    assert.equal(res.status, 200, res.text);
    const d = res.body;
    assert.equal(d.destination, pubkey);
    assert.equal(d.timestamp, String(invoice.created_at));
    assert.equal(d.expiry, '86400');
    assert.equal(d.description, 'Demo Memo');
    assert.equal(d.numMsat, '69000');
    assert.match(d.paymentAddr, /^[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(d.features['8'], { name: 'tlv-onion', isRequired: true, isKnown: true });
    assert.equal(d.payment_hash, invoice.r_hash_decoded);
    assert.equal(d.num_satoshis, '69');
    assert.equal(d.cltv_expiry, '80');
    assert.deepEqual(Object.keys(d).slice(-3), ['payment_hash', 'num_satoshis', 'cltv_expiry']);
    assert.equal(d.descriptionHash, undefined);

    const missing = await h.request('GET', `/v1/node/${nodeId}/payments/decodeinvoice`, { key: h.sak });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, 'Missing required parameters: payment_request');
    const bad = await h.request('GET', '/v1/node/default/payments/decodeinvoice?payment_request=lnbc1xyz', { key: h.sak });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^Unable to decode invoice: /);
  });

  test('queryroutes answers for our node and the sandbox outside node, LND text otherwise', async () => {
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 10 } });
    const res = await h.request('GET', `/v1/node/default/payments/queryroutes?pub_key=${outside.body.dest_pubkey}&amt=10`, { key: h.pak });
    assert.equal(res.status, 200, res.text);
    const [route] = res.body.routes;
    assert.equal(route.totalAmt, '10');
    assert.equal(route.totalFeesMsat, '11');
    assert.equal(route.totalAmtMsat, '10011');
    assert.equal(route.hops.length, 1);
    assert.equal(route.hops[0].pubKey, outside.body.dest_pubkey);
    assert.equal(route.hops[0].amtToForwardMsat, '10000');
    assert.equal(typeof route.totalTimeLock, 'number');
    assert.equal(res.body.successProb, 1);
    const own = await h.request('GET', `/v1/node/default/payments/queryroutes?pub_key=${pubkey}&amt=5`, { key: h.pak });
    assert.equal(own.body.routes[0].hops.length, 0);
    const nowhere = await h.request('GET', `/v1/node/default/payments/queryroutes?pub_key=02${'ab'.repeat(32)}&amt=5`, { key: h.pak });
    assert.equal(nowhere.status, 400);
    assert.equal(nowhere.body.message, 'unable to find a path to destination');
    const missing = await h.request('GET', '/v1/node/default/payments/queryroutes', { key: h.pak });
    assert.equal(missing.body.message, 'Missing required parameters: pub_key, amt');
  });
});
