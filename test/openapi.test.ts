import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness } from './helpers/harness.ts';

describe('OpenAPI document and docs page', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  test('/openapi.json is OpenAPI 3.1 with the API routes, their schemas and the three auth schemes, no key needed', async () => {
    const res = await h.request('GET', '/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/v1/wallet',
      '/v1/wallets',
      '/v1/wallet/{wallet_key}',
      '/v1/wallet/{wallet_key}/transactions',
      '/v1/wallet/{wallet_key}/invoice',
      '/v1/wallet/{wallet_key}/withdraw',
      '/v1/wallet/{wallet_key}/keysend',
      '/v1/wallet/{wallet_key}/transfer',
      '/v1/lntx/{lntx_id}',
      '/v1/wallet-transactions',
      '/health',
    ]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const invoice = doc.paths['/v1/wallet/{wallet_key}/invoice'].post;
    assert.ok(invoice.requestBody.content['application/json'].schema.properties.num_satoshis);
    assert.ok(invoice.responses['201']);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKeyHeader', 'apiKeyQuery', 'basic']);
  });

  test('/docs serves the interactive page from the package', async () => {
    const res = await fetch(`${h.url}/docs`, { redirect: 'follow' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/i);
  });
});
