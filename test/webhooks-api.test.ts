import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness } from './helpers/harness.ts';

describe('webhook endpoints API', () => {
  let h: Harness;
  const call = (method: string, path: string, body?: unknown, key = h.sak) => h.request(method, path, { key, body });
  const count = async () => Number((await call('GET', '/v1/webhooks')).headers.get('X-Pagination-Total-Count'));

  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  test('create answers 201 with the endpoint, never the secret; events default to all', async () => {
    const res = await call('POST', '/v1/webhooks', { url: 'https://example.com/hook', secret: 's3cret', description: 'shop' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body), ['id', 'url', 'events', 'description', 'active', 'created_at', 'updated_at']);
    assert.match(res.body.id, /^iwh_[A-Za-z0-9]{14}$/);
    assert.equal(res.body.url, 'https://example.com/hook');
    assert.deepEqual(res.body.events, ['default_all']);
    assert.equal(res.body.description, 'shop');
    assert.equal(res.body.active, 1);
    assert.ok(!res.text.includes('s3cret'));
    const got = await call('GET', `/v1/webhooks/${res.body.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);

    const some = await call('POST', '/v1/webhooks', { url: 'http://hooks.example:8080/x?y=1', events: ['wallet_receive', 'wallet_send', 'wallet_receive'] });
    assert.equal(some.status, 201, some.text);
    assert.deepEqual(some.body.events, ['wallet_receive', 'wallet_send']);
    assert.equal(some.body.description, null);
  });

  test('list is paginated like the other lists', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await call('POST', '/v1/webhooks', { url: `https://example.com/${i}` })).status, 201);
    const page = await h.request('GET', '/v1/webhooks?per-page=2&page=2&sort=created_at', { key: h.sak });
    assert.equal(page.status, 200);
    assert.equal(page.body.length, 2);
    assert.equal(page.headers.get('X-Pagination-Total-Count'), '5');
    assert.equal(page.headers.get('X-Pagination-Page-Count'), '3');
    assert.equal(page.headers.get('X-Pagination-Current-Page'), '2');
    assert.match(String(page.headers.get('Link')), /rel=next/);
    assert.ok(page.body.every((w: any) => !('secret' in w)));
  });

  test('PATCH changes only the given fields; null removes the description', async () => {
    const created = (await call('POST', '/v1/webhooks', { url: 'https://example.com/p', description: 'old', secret: 'a' })).body;
    const res = await call('PATCH', `/v1/webhooks/${created.id}`, { events: ['wallet_created'], active: 0, description: null });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { ...created, events: ['wallet_created'], active: 0, description: null, updated_at: res.body.updated_at });
    const again = await call('PATCH', `/v1/webhooks/${created.id}`, { url: 'https://example.org/q', active: '1', events: ['default_all'], secret: null });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.url, 'https://example.org/q');
    assert.equal(again.body.active, 1);
    assert.deepEqual(again.body.events, ['default_all']);
  });

  test('DELETE answers 204; the endpoint and its deliveries are gone', async () => {
    const created = (await call('POST', '/v1/webhooks', { url: 'https://example.com/d' })).body;
    const res = await call('DELETE', `/v1/webhooks/${created.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal((await call('GET', `/v1/webhooks/${created.id}`)).status, 404);
    assert.equal((await call('DELETE', `/v1/webhooks/${created.id}`)).status, 404);
  });

  test('unknown endpoint or delivery ids are 404 naming them', async () => {
    const known = (await call('POST', '/v1/webhooks', { url: 'https://example.com/k' })).body.id;
    const cases: [string, string, string][] = [
      ['GET', '/v1/webhooks/iwh_missing', 'Webhook not found: iwh_missing'],
      ['PATCH', '/v1/webhooks/iwh_missing', 'Webhook not found: iwh_missing'],
      ['GET', '/v1/webhooks/iwh_missing/deliveries', 'Webhook not found: iwh_missing'],
      ['GET', `/v1/webhooks/${known}/deliveries/iwhr_missing`, 'Webhook delivery not found: iwhr_missing'],
      ['POST', `/v1/webhooks/${known}/deliveries/iwhr_missing/redeliver`, 'Webhook delivery not found: iwhr_missing'],
      ['POST', '/v1/webhooks/iwh_missing/deliveries/iwhr_missing/redeliver', 'Webhook not found: iwh_missing'],
    ];
    for (const [method, path, message] of cases) {
      const res = await call(method, path, method === 'PATCH' ? { active: 1 } : undefined);
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
      assert.equal(res.body.message, message);
    }
    const empty = await call('GET', `/v1/webhooks/${known}/deliveries?status=failed`);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, []);
  });

  test('bad input is a 400 naming the field or the event, and writes nothing', async () => {
    const before = await count();
    const cases: [unknown, string][] = [
      [{}, 'Url cannot be blank.'],
      [{ url: '' }, 'Url cannot be blank.'],
      [{ url: 'example.com/hook' }, 'Url must be an absolute http or https URL with a host.'],
      [{ url: 'ftp://example.com/hook' }, 'Url must be an absolute http or https URL with a host.'],
      [{ url: 'javascript:alert(1)' }, 'Url must be an absolute http or https URL with a host.'],
      [{ url: 'http://' }, 'Url must be an absolute http or https URL with a host.'],
      [{ url: 42 }, 'Url must be a string.'],
      [{ url: 'https://example.com', events: ['wallet_sent'] }, 'Events contains an unknown event: "wallet_sent"'],
      [{ url: 'https://example.com', events: ['wallet_send', 'ln_node_connection_error'] }, 'Events contains an unknown event: "ln_node_connection_error"'],
      [{ url: 'https://example.com', events: [] }, 'Events cannot be blank.'],
      [{ url: 'https://example.com', events: 'wallet_send' }, 'Events must be a array.'],
      [{ url: 'https://example.com', secret: 7 }, 'Secret must be a string.'],
      [{ url: 'https://example.com', description: 'x'.repeat(256) }, 'Description should contain at most 255 characters.'],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/v1/webhooks', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.message, message, JSON.stringify(body));
    }
    const target = (await call('POST', '/v1/webhooks', { url: 'https://example.com/v' })).body.id;
    const patches: [unknown, string][] = [
      [{ active: 2 }, 'Active must be less than or equal to "1".'],
      [{ active: true }, 'Active must be an integer.'],
      [{ url: 'mailto:a@b.c' }, 'Url must be an absolute http or https URL with a host.'],
      [{ events: ['nope'] }, 'Events contains an unknown event: "nope"'],
    ];
    for (const [body, message] of patches) {
      const res = await call('PATCH', `/v1/webhooks/${target}`, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.message, message);
    }
    assert.deepEqual((await call('GET', `/v1/webhooks/${target}`)).body.url, 'https://example.com/v');
    assert.equal(await count(), before + 1);
    const badStatus = await call('GET', `/v1/webhooks/${target}/deliveries?status=sent`);
    assert.equal(badStatus.status, 400);
    assert.equal(badStatus.body.message, 'Status is invalid.');
  });

  test('the secret key only', async () => {
    const res = await call('POST', '/v1/webhooks', { url: 'https://example.com/pak' }, h.pak);
    assert.equal(res.status, 401);
    assert.equal(res.body.message, 'This resource can only be access with secret access key.');
    assert.equal((await call('GET', '/v1/webhooks', undefined, h.pak)).status, 401);
    assert.equal((await h.request('GET', '/v1/webhooks')).status, 401);
  });
});

describe('webhook endpoints with WEBHOOK_ALLOW_PRIVATE_TARGETS=0', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ WEBHOOK_ALLOW_PRIVATE_TARGETS: '0' });
  });
  after(() => h.close());

  test('refuses loopback, private and link-local literals and localhost; accepts public hosts', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://[::1]/hook',
      'http://10.1.2.3/',
      'http://192.168.0.10/',
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f.1/',
      'http://localhost:8080/',
    ]) {
      const res = await h.request('POST', '/v1/webhooks', { key: h.sak, body: { url } });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.message, 'Url points to a private, loopback or link-local address, which this server refuses.');
    }
    assert.equal((await h.request('POST', '/v1/webhooks', { key: h.sak, body: { url: 'https://8.8.8.8/hook' } })).status, 201);
    assert.equal((await h.request('POST', '/v1/webhooks', { key: h.sak, body: { url: 'https://example.com/hook' } })).status, 201);
  });
});
