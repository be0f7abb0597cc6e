import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TEST_DATABASE_URL, createTestDatabase } from './helpers/database.ts';
import { type LnpaydProcess, apiCall, spawnLnpayd } from './helpers/process.ts';
import { Receiver, eventually } from './helpers/receiver.ts';

const SAK = 'sak_' + 'M'.repeat(32);
const PAK = 'pak_' + 'N'.repeat(32);
const WALLETS = 30;

describe('webhooks from two lnpayd processes on one PostgreSQL', { skip: TEST_DATABASE_URL ? false : 'needs LNPAYD_TEST_DATABASE_URL' }, () => {
  const dirs: string[] = [];
  let drop: () => Promise<void>;
  const procs: LnpaydProcess[] = [];
  let r: Receiver;
  before(async () => {
    const database = await createTestDatabase();
    assert.ok(database);
    drop = database.drop;
    r = await Receiver.start();
    for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), 'lnpayd-webhook-scale-')));
    // One after the other: two processes migrating a fresh database at once can race on creating schema_migrations.
    for (const dir of dirs) {
      procs.push(await spawnLnpayd({ DATA_DIR: dir, DATABASE_URL: database.url, LNPAYD_SECRET_KEY: SAK, LNPAYD_PUBLIC_KEY: PAK, WEBHOOK_POLL_MS: '10', LOG_LEVEL: 'debug' }));
    }
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await r.close();
    await drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('both workers claim from one queue: every delivery is sent exactly once', async () => {
    r.on('/shared', (_hook, _n, res) => setTimeout(() => res.end('ok'), 20));
    const [a, b] = procs as [LnpaydProcess, LnpaydProcess];
    const endpoint = (await apiCall(a.url, SAK, 'POST', '/v1/webhooks', { url: r.url('/shared'), events: ['wallet_created'] })).body.id;
    await Promise.all(
      Array.from({ length: WALLETS }, (_, i) => apiCall((i % 2 ? a : b).url, SAK, 'POST', '/v1/wallet', { user_label: `w${i}` })),
    );
    const list: any[] = await eventually(async () => {
      const res = await apiCall(b.url, SAK, 'GET', `/v1/webhooks/${endpoint}/deliveries`);
      return res.body.length === WALLETS && res.body.every((d: any) => d.status === 'delivered') && res.body;
    }, 20_000);
    assert.ok(list.every((d) => d.attempts === 1));
    const hookIds = r.received('/shared').map((k) => String(k.headers['x-lnpay-hookid']));
    assert.equal(hookIds.length, WALLETS);
    assert.deepEqual(hookIds.sort(), list.map((d) => d.id).sort());
  });

  test('money events produced through both processes: each delivered exactly once, none lost', async (t) => {
    // Slow answers keep one process's 4 slots per endpoint busy, so the other process claims too.
    r.on('/money', (_hook, _n, res) => setTimeout(() => res.end('ok'), 50));
    const events = ['wallet_receive', 'wallet_send', 'wallet_transfer_in', 'wallet_transfer_out'];
    const [a, b] = procs as [LnpaydProcess, LnpaydProcess];
    const via = (i: number) => (i % 2 ? a : b).url;
    const endpoint = (await apiCall(a.url, SAK, 'POST', '/v1/webhooks', { url: r.url('/money'), events, secret: 'shared secret' })).body.id;
    const [x, y] = await Promise.all(['x', 'y'].map(async (label) => (await apiCall(b.url, SAK, 'POST', '/v1/wallet', { user_label: label })).body));
    const funded = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        // Each process runs its own embedded node, which pays only the invoices it signed.
        const inv = await apiCall(via(i), SAK, 'POST', `/v1/wallet/${x.id}/invoice`, { num_satoshis: 10 });
        return apiCall(via(i), SAK, 'POST', '/v1/sandbox/pay', { payment_request: inv.body.payment_request });
      }),
    );
    const moved = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        if (i % 2) return apiCall(via(i), SAK, 'POST', `/v1/wallet/${x.id}/transfer`, { dest_wallet_id: y.id, num_satoshis: 5 });
        const inv = await apiCall(via(i + 1), SAK, 'POST', `/v1/wallet/${y.id}/invoice`, { num_satoshis: 5 });
        return apiCall(via(i), SAK, 'POST', `/v1/wallet/${x.id}/withdraw`, { payment_request: inv.body.payment_request });
      }),
    );
    assert.deepEqual([...funded, ...moved].filter((res) => res.status >= 300), []);
    // 10 receives; 5 transfers (out + in); 5 internal payments (send + receive).
    const expected = 10 + 5 * 2 + 5 * 2;
    const list: any[] = await eventually(async () => {
      const res = await apiCall(a.url, SAK, 'GET', `/v1/webhooks/${endpoint}/deliveries?per-page=500`);
      return res.body.length === expected && res.body.every((d: any) => d.status === 'delivered') && res.body;
    }, 20_000);
    assert.ok(list.every((d) => d.attempts === 1));
    const hooks = r.received('/money');
    const hookIds = hooks.map((k) => String(k.headers['x-lnpay-hookid']));
    assert.equal(hookIds.length, expected, 'no delivery posted twice');
    assert.deepEqual(hookIds.sort(), list.map((d) => d.id).sort());
    const names = hooks.map((k) => k.body.event.name);
    for (const event of events) t.diagnostic(`${event}: ${names.filter((n) => n === event).length} delivered once each`);
    const attemptsBy = procs.map((p) => hookIds.filter((id) => p.output().includes(`"delivery":"${id}"`)).length);
    assert.deepEqual(attemptsBy.map((n) => n > 0), [true, true], 'both workers delivered');
    assert.equal(attemptsBy.reduce((sum, n) => sum + n, 0), expected);
    t.diagnostic(`deliveries: ${hooks.length} events from 2 processes, ${hooks.length} posts (${attemptsBy.join(' + ')} by the two workers), 0 duplicates, 0 lost`);
  });
});
