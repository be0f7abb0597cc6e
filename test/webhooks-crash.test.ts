import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, newDataDir } from './helpers/database.ts';
import { apiCall, spawnLnpayd } from './helpers/process.ts';
import { Receiver, eventually } from './helpers/receiver.ts';

const SAK = 'sak_' + 'W'.repeat(32);
const PAK = 'pak_' + 'H'.repeat(32);

describe('webhooks across kill -9', () => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let r: Receiver;
  before(async () => {
    dataDir = await newDataDir('lnpayd-webhook-crash-');
    const database = await createTestDatabase();
    databaseUrl = database?.url;
    drop = database?.drop;
    r = await Receiver.start();
  });
  after(async () => {
    await r.close();
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('undelivered events, and attempts cut off in flight, are delivered after a restart', async () => {
    const env = (extra: Record<string, string>) => ({
      DATA_DIR: dataDir,
      LNPAYD_SECRET_KEY: SAK,
      LNPAYD_PUBLIC_KEY: PAK,
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_RETRY_BASE_MS: '50',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...extra,
    });

    // 1: events recorded, the worker not looking yet (it polls at start, then only after a minute).
    const first = await spawnLnpayd(env({ WEBHOOK_POLL_MS: '60000' }));
    const call = (method: string, path: string, body?: unknown) => apiCall(first.url, SAK, method, path, body);
    const endpoint = (await call('POST', '/v1/webhooks', { url: r.url('/crash'), secret: 'k' })).body.id;
    const wallets = [];
    for (let i = 0; i < 5; i++) wallets.push((await call('POST', '/v1/wallet', { user_label: `w${i}` })).body);
    const invoice = await call('POST', `/v1/wallet/${wallets[0].id}/invoice`, { num_satoshis: 50 });
    assert.equal((await call('POST', '/v1/sandbox/pay', { payment_request: invoice.body.payment_request })).status, 200);
    first.child.kill('SIGKILL');
    await first.stop();
    assert.equal(r.received('/crash').length, 0);

    // 2: the receiver hangs; killed with attempts in flight (4: the per-endpoint limit).
    r.on('/crash', () => {});
    const second = await spawnLnpayd(env({ WEBHOOK_POLL_MS: '20' }));
    await r.waitFor('/crash', 4);
    second.child.kill('SIGKILL');
    await second.stop();
    const cutOffIds = new Set(r.received('/crash').map((k) => String(k.headers['x-lnpay-hookid'])));

    // 3: the receiver answers; everything arrives once the dead process's claims expire.
    const answered: string[] = [];
    r.on('/crash', (hook, _n, res) => {
      answered.push(String(hook.headers['x-lnpay-hookid']));
      res.end('ok');
    });
    // The claims' expiry was fixed by the second process; a long timeout here keeps a slow machine from retrying.
    const third = await spawnLnpayd(env({ WEBHOOK_POLL_MS: '20', WEBHOOK_TIMEOUT_MS: '10000' }));
    try {
      const list: any[] = await eventually(async () => {
        const res = await apiCall(third.url, SAK, 'GET', `/v1/webhooks/${endpoint}/deliveries`);
        return res.body.length === 6 && res.body.every((d: any) => d.status === 'delivered') && (res.body as any[]);
      }, 20_000);
      assert.deepEqual(answered.slice().sort(), list.map((d) => d.id).sort(), 'each delivery answered exactly once');
      // A claim the dead process made counts as an attempt even if its request never left.
      for (const d of list) assert.ok(d.attempts >= (cutOffIds.has(d.id) ? 2 : 1), `${d.id}: ${d.attempts}`);
      const names = r.received('/crash').filter((k) => answered.includes(String(k.headers['x-lnpay-hookid'])));
      assert.deepEqual(
        [...new Set(names.map((k) => k.body.event.name))].sort(),
        ['wallet_created', 'wallet_receive'],
      );
    } finally {
      await third.stop();
    }
  });
});
