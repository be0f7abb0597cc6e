import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Harness, type Reply } from './helpers/harness.ts';

function assertLimited(res: Reply): void {
  assert.equal(res.status, 429, res.text);
  assert.deepEqual(Object.keys(res.body), ['name', 'message', 'code', 'status']);
  assert.equal(res.body.name, 'Too Many Requests');
  assert.equal(res.body.code, 0);
  assert.equal(res.body.status, 429);
  assert.match(res.body.message, /^Rate limit exceeded, retry in \d+ seconds$/);
  assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After in seconds');
}

describe('rate limits', () => {
  let h: Harness;
  const walletCount = async () => (await h.server.ctx.db.query<{ n: number }>('select count(*)::int8 as n from wallets'))[0]?.n;
  const createWallet = (key: string) => h.request('POST', '/v1/wallet', { key, body: { user_label: 'limited?' } });

  before(async () => {
    h = await Harness.start({ RATE_LIMIT_PER_KEY: '3', RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_MS: '600000' });
  });
  after(() => h.close());

  test('per API key: the 4th request of a key → 429 and writes nothing; another key still passes', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await createWallet(h.sak)).status, 201);
    const before = await walletCount();
    assertLimited(await createWallet(h.sak));
    assert.equal(await walletCount(), before, 'the limited request created no wallet');
    assert.notEqual((await h.request('GET', '/v1/nodes', { key: h.pak })).status, 429, 'another key is counted apart');
  });

  test('per client address: past the limit every key is refused, with or without a key; probes are exempt', async () => {
    // 3 counted so far plus the pak request: one more passes, then the address is over its limit.
    assert.equal((await h.request('GET', '/openapi.json')).status, 200);
    assertLimited(await h.request('GET', '/openapi.json'));
    assertLimited(await h.request('GET', '/v1/nodes', { key: h.pak }));
    assert.equal((await h.request('GET', '/health')).status, 200);
    assert.equal((await h.request('GET', '/metrics')).status, 200);
  });
});

test('limits are off by default, and a bad limit value stops start-up naming its variable', () => {
  assert.deepEqual(loadConfig({}).rateLimit, { perKey: undefined, perIp: undefined, windowMs: 60_000 });
  for (const name of ['RATE_LIMIT_PER_KEY', 'RATE_LIMIT_PER_IP', 'RATE_LIMIT_WINDOW_MS', 'MAX_HEADER_BYTES', 'REQUEST_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS']) {
    assert.throws(() => loadConfig({ [name]: 'lots' }), (err: Error) => err instanceof ConfigError && err.message.includes(name));
  }
});
