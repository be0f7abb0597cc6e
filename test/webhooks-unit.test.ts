import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { nextStep, retryDelayMs } from '../src/webhooks/retry.ts';
import { postWebhook, signBody } from '../src/webhooks/send.ts';
import { TargetRefusedError, isPublicAddress, publicOnlyLookup } from '../src/webhooks/targets.ts';
import { Receiver } from './helpers/receiver.ts';

describe('private target addresses', () => {
  test('loopback, private, shared, link-local, multicast and reserved addresses are not public', () => {
    const table: [string, boolean][] = [
      ['8.8.8.8', true],
      ['1.1.1.1', true],
      ['2606:4700:4700::1111', true],
      ['127.0.0.1', false],
      ['127.255.0.9', false],
      ['10.0.0.1', false],
      ['172.16.5.4', false],
      ['172.32.0.1', true],
      ['192.168.1.1', false],
      ['100.64.0.1', false],
      ['169.254.169.254', false],
      ['0.0.0.0', false],
      ['224.0.0.1', false],
      ['255.255.255.255', false],
      ['::', false],
      ['::1', false],
      ['fe80::1', false],
      ['fd00::1', false],
      ['ff02::1', false],
      ['::ffff:127.0.0.1', false],
      ['::ffff:10.0.0.1', false],
      ['::ffff:8.8.8.8', true],
      ['not an ip', false],
    ];
    for (const [address, isPublic] of table) assert.equal(isPublicAddress(address), isPublic, address);
  });

  test('the lookup used for deliveries refuses a name that resolves to loopback', async () => {
    const err = await new Promise<Error | null>((resolve) => publicOnlyLookup('localhost', {}, (e) => resolve(e)));
    assert.ok(err instanceof TargetRefusedError, String(err));
    assert.match(err.message, /^refused: localhost is or resolves to the non-public address (127\.0\.0\.1|::1)/);
  });
});

describe('one webhook POST', () => {
  let r: Receiver;
  const base = { body: '{"id":"evt_x"}', eventName: 'wallet_send', deliveryId: 'iwhr_x', secret: null, timeoutMs: 2000, allowPrivateTargets: true };
  before(async () => {
    r = await Receiver.start();
  });
  after(() => r.close());

  test('with private targets refused, a host resolving to 127.0.0.1 is never contacted', async () => {
    const port = new URL(r.url('/')).port;
    const result = await postWebhook({ ...base, url: `http://localhost:${port}/private`, allowPrivateTargets: false });
    assert.equal(result.statusCode, null);
    assert.match(String(result.error), /^refused: localhost is or resolves to the non-public address/);
    const literal = await postWebhook({ ...base, url: r.url('/private'), allowPrivateTargets: false });
    assert.match(String(literal.error), /^refused: 127\.0\.0\.1/);
    assert.equal(r.received('/private').length, 0);
  });

  test('a huge answer is read only up to the cap; a redirect is not followed', async () => {
    r.on('/huge', (_hook, _n, res) => res.end('x'.repeat(4 * 1024 * 1024)));
    const huge = await postWebhook({ ...base, url: r.url('/huge') });
    assert.equal(huge.statusCode, 200);
    assert.equal(huge.responseBody?.length, 1024);
    r.on('/moved', (_hook, _n, res) => {
      res.writeHead(302, { Location: r.url('/elsewhere') });
      res.end();
    });
    const moved = await postWebhook({ ...base, url: r.url('/moved') });
    assert.equal(moved.statusCode, 302);
    assert.equal(nextStep(moved, 1, 10, { retryBaseMs: 1000, retryMaxMs: 5000 }, 0).status, 'pending');
    assert.equal(r.received('/elsewhere').length, 0);
  });

  test('a refused connection is an error, not a throw', async () => {
    const result = await postWebhook({ ...base, url: 'http://127.0.0.1:1/' });
    assert.equal(result.statusCode, null);
    assert.match(String(result.error), /ECONNREFUSED/);
  });

  test('the signature is lowercase hex HMAC-SHA256 of the body', () => {
    assert.equal(signBody('key', 'The quick brown fox jumps over the lazy dog'), 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  });
});

describe('retry policy', () => {
  const policy = { retryBaseMs: 60_000, retryMaxMs: 6 * 3_600_000 };
  const middle = () => 0.5;

  test('delays grow 3× from the base, capped, with ±20 % jitter', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n, policy, middle) / 60_000),
      [1, 3, 9, 27, 81, 243, 360, 360, 360],
    );
    assert.equal(retryDelayMs(1, policy, () => 0), 48_000);
    assert.equal(retryDelayMs(1, policy, () => 1), 72_000);
  });

  test('2xx delivers, 410 fails at once, others retry until the limit', () => {
    const at = (statusCode: number | null, attempt = 1) =>
      nextStep({ statusCode, error: null, responseBody: null, durationMs: 1 }, attempt, 10, policy, 1_000_000).status;
    assert.equal(at(200), 'delivered');
    assert.equal(at(204), 'delivered');
    assert.equal(at(410), 'failed');
    assert.equal(at(500), 'pending');
    assert.equal(at(404), 'pending');
    assert.equal(at(null), 'pending');
    assert.equal(at(500, 10), 'failed');
  });
});

describe('webhook configuration', () => {
  test('defaults, and a bad value names its variable', () => {
    const { webhooks } = loadConfig({});
    assert.deepEqual(webhooks, {
      timeoutMs: 10_000,
      retryBaseMs: 60_000,
      retryMaxMs: 21_600_000,
      maxAttempts: 10,
      allowPrivateTargets: true,
      pollMs: 500,
      concurrency: 16,
    });
    assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' }).webhooks.allowPrivateTargets, false);
    for (const [name, value] of [
      ['WEBHOOK_TIMEOUT_MS', 'soon'],
      ['WEBHOOK_TIMEOUT_MS', '5'],
      ['WEBHOOK_MAX_ATTEMPTS', '0'],
      ['WEBHOOK_RETRY_BASE_MS', '-1'],
      ['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'yes'],
      ['WEBHOOK_CONCURRENCY', '1000'],
    ] as const) {
      assert.throws(() => loadConfig({ [name]: value }), (err: unknown) => err instanceof ConfigError && err.message.includes(name));
    }
  });
});
