/**
 * The whole money flow through a spawned lnpayd at debug and at trace level,
 * then a search of everything it wrote for the secrets it handled.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { createTestDatabase, newDataDir } from './helpers/database.ts';
import { decodeLnurlText, freePort, walletGet, withQuery } from './helpers/lnurl.ts';
import { apiCall, spawnLnpayd } from './helpers/process.ts';
import { Receiver, eventually } from './helpers/receiver.ts';

const SAK = 'sak_' + 'LogSecret' + 'Q'.repeat(23);
const PAK = 'pak_' + 'LogPublic' + 'R'.repeat(23);
const HOOK_SECRET = 'hook-secret-that-must-not-be-logged';

/** Every value under a key naming a preimage, anywhere in a JSON answer. */
function preimagesIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) preimagesIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/preimage/i.test(k) && typeof v === 'string' && v) found.add(v);
      else preimagesIn(v, found);
    }
  }
}

describe('no secret reaches the logs', () => {
  for (const level of ['debug', 'trace']) {
    test(`LOG_LEVEL=${level}: root keys, access keys, preimages, webhook secret and signatures never appear`, async (t) => {
      const dir = await newDataDir('lnpayd-secrets-');
      const database = await createTestDatabase();
      const receiver = await Receiver.start();
      const port = await freePort();
      const lnpayd = await spawnLnpayd({
        DATA_DIR: dir,
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LNPAYD_SECRET_KEY: SAK,
        LNPAYD_PUBLIC_KEY: PAK,
        LOG_LEVEL: level,
        WEBHOOK_POLL_MS: '20',
        ...(database ? { DATABASE_URL: database.url } : {}),
      });
      const preimages = new Set<string>();
      const call = async (key: string, method: string, path: string, body?: unknown) => {
        const res = await apiCall(lnpayd.url, key, method, path, body);
        assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        preimagesIn(res.body, preimages);
        return res.body;
      };
      try {
        const hook = await call(SAK, 'POST', '/v1/webhooks', { url: receiver.url('/hook'), secret: HOOK_SECRET });
        const [a, b] = [await call(SAK, 'POST', '/v1/wallet', { user_label: 'a' }), await call(SAK, 'POST', '/v1/wallet', { user_label: 'b' })];
        const accessKeys = [a, b].flatMap((w) => Object.values(w.access_keys as Record<string, string[]>).flat());
        assert.equal(accessKeys.length, 14, 'all 7 roles of both wallets');
        const key = (w: typeof a, role: string) => w.access_keys[role][0] as string;

        const funding = await call(PAK, 'POST', `/v1/wallet/${key(a, 'Wallet Invoice')}/invoice`, { num_satoshis: 5000, memo: 'funding' });
        await call(SAK, 'POST', '/v1/sandbox/pay', { payment_request: funding.payment_request });
        await call(SAK, 'GET', `/v1/lntx/${funding.id}`);
        const internal = await call(PAK, 'POST', `/v1/wallet/${key(b, 'Wallet Invoice')}/invoice`, { num_satoshis: 100 });
        await call(PAK, 'POST', `/v1/wallet/${key(a, 'Wallet Admin')}/withdraw`, { payment_request: internal.payment_request });
        await call(SAK, 'GET', `/v1/lntx/${internal.id}`);
        const outside = await call(SAK, 'POST', '/v1/sandbox/invoice', { num_satoshis: 200 });
        await call(PAK, 'POST', `/v1/wallet/${key(a, 'Wallet Admin')}/withdraw`, { payment_request: outside.payment_request });
        await call(PAK, 'POST', `/v1/wallet/${key(a, 'Wallet Admin')}/keysend`, { dest_pubkey: outside.dest_pubkey, num_satoshis: 50 });
        await call(PAK, 'POST', `/v1/wallet/${key(a, 'Wallet Admin')}/transfer`, { dest_wallet_id: b.id, num_satoshis: 30 });
        await call(PAK, 'GET', `/v1/wallet/${key(a, 'Wallet Read')}`);
        await call(PAK, 'GET', `/v1/wallet/${key(a, 'Wallet Read')}/transactions`);
        assert.equal((await fetch(`${lnpayd.url}/v1/wallets?access-token=${SAK}`)).status, 200, 'a key in the query string');

        const link = await call(PAK, 'GET', `/v1/wallet/${key(a, 'Wallet LNURL Withdraw')}/lnurl/withdraw?num_satoshis=40`);
        const params = (await walletGet(decodeLnurlText(link.lnurl))).body;
        const payout = await call(PAK, 'POST', `/v1/wallet/${key(b, 'Wallet Invoice')}/invoice`, { num_satoshis: 40 });
        assert.deepEqual((await walletGet(withQuery(params.callback, { k1: params.k1, pr: payout.payment_request }))).body, { status: 'OK' });
        await call(SAK, 'GET', `/v1/lntx/${payout.id}`);

        const payLink = await call(PAK, 'GET', `/v1/lnurlp/${b.default_lnurlpay_id}`);
        await call(PAK, 'POST', `/v1/wallet/${key(a, 'Wallet Admin')}/lnurlp/pay`, { amt_msat: 21_000, lnurlpay_encoded: payLink.lnurl_encoded });

        const deliveries: any[] = await eventually(async () => {
          const list = await call(SAK, 'GET', `/v1/webhooks/${hook.id}/deliveries?per-page=500`);
          return list.length > 0 && list.every((d: any) => d.status === 'delivered') && list;
        }, 20_000);
        for (const d of deliveries) await call(SAK, 'GET', `/v1/webhooks/${hook.id}/deliveries/${d.id}`);
        const signatures = receiver.received('/hook').map((h) => String(h.headers['x-lnpay-signature']));
        assert.equal(signatures.length, deliveries.length);
        assert.ok(signatures.every((s) => /^[0-9a-f]{64}$/.test(s)));
        assert.ok(preimages.size >= 4, `preimages seen: ${preimages.size}`);

        await lnpayd.stop();
        const output = lnpayd.output();
        assert.ok(output.includes('"msg":"webhook attempt"'), 'the debug lines were written');
        const secrets: [string, string[]][] = [
          ['root key', [SAK, PAK]],
          ['wallet access key', accessKeys],
          ['preimage', [...preimages]],
          ['webhook secret', [HOOK_SECRET]],
          ['webhook signature', signatures],
        ];
        for (const [what, values] of secrets) {
          for (const value of values) assert.ok(!output.includes(value), `${what} ${value.slice(0, 8)}… appears in the ${level} log`);
        }
        const checked = secrets.reduce((n, [, v]) => n + v.length, 0);
        t.diagnostic(`${level}: ${output.split('\n').length} log lines searched for ${checked} secrets (${deliveries.length} webhook deliveries): none found`);
      } finally {
        await lnpayd.stop();
        await receiver.close();
        await database?.drop();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
