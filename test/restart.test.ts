import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, newDataDir } from './helpers/database.ts';
import { apiCall, runUntilExit, spawnLnpayd } from './helpers/process.ts';

const call = (url: string, method: string, path: string, key: string, body?: unknown) =>
  apiCall(url, key, method, path, body);

describe('restarts keep everything', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  before(async () => {
    dataDir = await newDataDir('lnpayd-restart-');
    const database = await createTestDatabase();
    dropDatabase = database?.drop;
    env = { DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
  });
  after(async () => {
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('first start prints the root keys once and stores them 0600; a restart (even after kill -9) keeps keys, wallets and money', async () => {
    const first = await spawnLnpayd(env);
    const keys = JSON.parse(await readFile(join(dataDir, 'root-keys.json'), 'utf8'));
    assert.match(keys.secretKey, /^sak_[A-Za-z0-9]{32}$/);
    assert.match(keys.publicKey, /^pak_[A-Za-z0-9]{32}$/);
    assert.equal((await stat(join(dataDir, 'root-keys.json'))).mode & 0o777, 0o600);
    assert.ok(first.output().includes(keys.secretKey), 'printed on first start');

    const wallet = await call(first.url, 'POST', '/v1/wallet', keys.secretKey, { user_label: 'persisted' });
    assert.equal(wallet.status, 201);
    const invoiceKey = wallet.body.access_keys['Wallet Invoice'][0];
    const invoice = await call(first.url, 'POST', `/v1/wallet/${invoiceKey}/invoice`, keys.publicKey, { num_satoshis: 42 });
    const paid = await call(first.url, 'POST', '/v1/sandbox/pay', keys.secretKey, {
      payment_request: invoice.body.payment_request,
    });
    assert.equal(paid.status, 200);
    const pending = await call(first.url, 'POST', `/v1/wallet/${invoiceKey}/invoice`, keys.publicKey, { num_satoshis: 8 });
    assert.equal(await first.stop('SIGKILL'), null);

    const second = await spawnLnpayd(env);
    try {
      assert.ok(!second.output().includes(keys.secretKey), 'keys are not printed again');
      const read = await call(second.url, 'GET', `/v1/wallet/${wallet.body.id}`, keys.secretKey);
      assert.equal(read.status, 200);
      assert.equal(read.body.balance, 42);
      const lntx = await call(second.url, 'GET', `/v1/lntx/${invoice.body.id}`, keys.publicKey);
      assert.equal(lntx.body.settled, 1);
      // The node key survived too: an invoice issued before the restart is still payable.
      const late = await call(second.url, 'POST', '/v1/sandbox/pay', keys.secretKey, {
        payment_request: pending.body.payment_request,
      });
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.equal((await call(second.url, 'GET', `/v1/wallet/${wallet.body.id}`, keys.secretKey)).body.balance, 50);
      // Also on PostgreSQL: the embedded node's journal in DATA_DIR serves one process.
      const refused = await runUntilExit(env);
      assert.equal(refused.code, 3);
      assert.match(refused.output, /in use by another lnpayd process/);
    } finally {
      assert.equal(await second.stop('SIGTERM'), 0);
    }
  });

  test('LNPAYD_SECRET_KEY / LNPAYD_PUBLIC_KEY pin the root keys', async () => {
    const secretKey = 'sak_' + 'P'.repeat(32);
    const publicKey = 'pak_' + 'Q'.repeat(32);
    const pinned = await spawnLnpayd({ ...env, LNPAYD_SECRET_KEY: secretKey, LNPAYD_PUBLIC_KEY: publicKey });
    try {
      assert.equal((await call(pinned.url, 'GET', '/v1/wallets', secretKey)).status, 200);
      const old = JSON.parse(await readFile(join(dataDir, 'root-keys.json'), 'utf8'));
      assert.equal((await call(pinned.url, 'GET', '/v1/wallets', old.secretKey)).status, 401, 'pinning replaces the old key');
    } finally {
      await pinned.stop();
    }
  });

  test('a bad setting stops start-up with a message naming the variable', async () => {
    const bad = await runUntilExit({ ...env, PORT: 'eighty' });
    assert.equal(bad.code, 2);
    assert.match(bad.output, /PORT must be a whole number/);
    const backend = await runUntilExit({ ...env, LIGHTNING_BACKEND: 'carrier-pigeon' });
    assert.equal(backend.code, 2);
    assert.match(backend.output, /LIGHTNING_BACKEND/);
  });
});
