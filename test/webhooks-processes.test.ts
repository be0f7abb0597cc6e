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
      procs.push(await spawnLnpayd({ DATA_DIR: dir, DATABASE_URL: database.url, LNPAYD_SECRET_KEY: SAK, LNPAYD_PUBLIC_KEY: PAK, WEBHOOK_POLL_MS: '10' }));
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
});
