import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { createLogger, startServer } from '../src/server.ts';
import { createTestDatabase, openDatabase } from './helpers/database.ts';
import { BIN, apiCall, runCli, spawnLnpayd } from './helpers/process.ts';

const MIGRATIONS = (await readdir(new URL('../src/store/migrations/', import.meta.url))).filter((f) => f.endsWith('.sql'));

describe('lnpayd CLI (the package bin, run as a child process)', () => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  const wallets = { payer: { id: '', admin: '' }, payee: { id: '', admin: '' } };

  const cli = (...args: string[]) => runCli(env, ...args);
  /** Runs a command with --json that must succeed; its parsed output. */
  const cliJson = async (...args: string[]) => {
    const res = await cli(...args, '--json');
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout);
  };
  const rootKeys = async () => JSON.parse(await readFile(join(dataDir, 'root-keys.json'), 'utf8'));
  const balances = async () => Object.fromEntries((await cliJson('wallets', 'list')).map((w: any) => [w.id, w.balance]));

  /** A server on the same DATA_DIR / database for what only HTTP does (sandbox payments, webhook set-up); stopped after. */
  async function withServer(fn: (call: (key: string, method: string, path: string, body?: unknown) => ReturnType<typeof apiCall>) => Promise<void>) {
    const server = await startServer(loadConfig({ ...env, PORT: '0' }), createLogger('silent'));
    try {
      await fn((key, method, path, body) => apiCall(server.url, key, method, path, body));
    } finally {
      await server.close();
    }
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lnpayd-cli-'));
    const database = await createTestDatabase();
    databaseUrl = database?.url;
    drop = database?.drop;
    env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  });
  after(async () => {
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('--help lists every command, each command has its own --help, bad usage exits 2', async () => {
    const help = await cli('--help');
    assert.equal(help.code, 0);
    for (const command of ['start', 'migrate', 'keys show', 'keys rotate', 'wallets create', 'wallets list', 'invoice', 'pay', 'webhooks deliveries', 'webhooks redeliver', 'check']) {
      assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
    }
    const own = await cli('keys', 'rotate', '--help');
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, /^Usage: lnpayd keys rotate \[--secret\] \[--public\]\n[\s\S]*within 10 s/);
    const unknown = await cli('frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const missing = await cli('invoice');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /expected 1 argument\(s\), got 0\nUsage: lnpayd invoice <wallet id or key> --sats/);
    const badOption = await cli('wallets', 'list', '--colour');
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /Unknown option '--colour'/);
  });

  test('migrate applies every migration once, then finds the schema up to date', async () => {
    assert.deepEqual((await cliJson('migrate')).applied, MIGRATIONS.map((f) => Number.parseInt(f, 10)));
    const again = await cli('migrate');
    assert.equal(again.code, 0);
    assert.equal(again.stdout, 'database schema up to date\n');
  });

  test('keys show / rotate: the old secret key stops working, the new one works, the public key is kept', async () => {
    await withServer(async () => {});
    const before = await rootKeys();
    const shown = await cli('keys', 'show');
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout, `secret key: ${before.secretKey}\npublic key: ${before.publicKey}\n`);

    const rotated = await cliJson('keys', 'rotate', '--secret');
    assert.match(rotated.secretKey, /^sak_/);
    assert.notEqual(rotated.secretKey, before.secretKey);
    assert.equal(rotated.publicKey, undefined);
    assert.deepEqual(await rootKeys(), { secretKey: rotated.secretKey, publicKey: before.publicKey });
    assert.equal((await stat(join(dataDir, 'root-keys.json'))).mode & 0o777, 0o600);
    const fresh = await rootKeys();

    // A stale copy of the file (another DATA_DIR on the same PostgreSQL, a restored backup) must not bring the old key back.
    await writeFile(join(dataDir, 'root-keys.json'), JSON.stringify(before));
    assert.match((await cli('keys', 'show')).stdout, new RegExp(`^secret key: ${before.secretKey} — NO LONGER VALID`));
    await withServer(async (call) => {
      assert.equal((await call(before.secretKey, 'GET', '/v1/wallets')).status, 401);
      assert.equal((await call(rotated.secretKey, 'GET', '/v1/wallets')).status, 200);
      assert.equal((await call(before.publicKey, 'POST', '/v1/wallet', { user_label: 'made with pak' })).status, 201);
    });
    await writeFile(join(dataDir, 'root-keys.json'), JSON.stringify(fresh));
  });

  test('keys rotate refuses a role pinned by the environment; keys show says it is pinned', async () => {
    const pinned = { LNPAYD_PUBLIC_KEY: 'pak_' + 'Z'.repeat(32) };
    const refused = await runCli({ ...env, ...pinned }, 'keys', 'rotate', '--public');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /the public key is pinned by LNPAYD_PUBLIC_KEY: change that variable instead/);
    const shown = await runCli({ ...env, ...pinned }, 'keys', 'show');
    assert.match(shown.stdout, /^public key: pinned by LNPAYD_PUBLIC_KEY \(not shown\)$/m);
  });

  test('wallets create prints the wallet and its 7 access keys; wallets list shows them', async () => {
    const human = await cli('wallets', 'create', '--label', 'payer');
    assert.equal(human.code, 0, human.stderr);
    const [, id, admin] = human.stdout.match(/^wallet (wal_\w+) "payer", balance 0 sats\naccess keys \(shown only now\):\n {2}Wallet Admin: +(waka_\w+)\n/) ?? [];
    assert.equal(human.stdout.split('\n').filter((line) => /^ {2}Wallet [\w ]+: +wak\w+_\w+$/.test(line)).length, 7);
    wallets.payer = { id: id as string, admin: admin as string };
    const payee = await cliJson('wallets', 'create', '--label', 'payee');
    assert.equal(Object.keys(payee.access_keys).length, 7);
    wallets.payee = { id: payee.id, admin: payee.access_keys['Wallet Admin'][0] };
    const listed = await cliJson('wallets', 'list');
    assert.deepEqual(listed.slice(0, 2).map((w: any) => [w.id, w.user_label, w.balance]), [[payee.id, 'payee', 0], [id, 'payer', 0]]);
    const noLabel = await cli('wallets', 'create');
    assert.equal(noLabel.code, 2);
    assert.match(noLabel.stderr, /--label is required/);
  });

  test('invoice prints the BOLT11 and a QR code; pay settles it between our wallets; errors exit 1 with the message', async () => {
    const { payer, payee } = wallets;
    const funding = await cliJson('invoice', payer.id, '--sats', '1000', '--memo', 'funding');
    assert.equal(funding.num_satoshis, 1000);
    assert.equal(funding.memo, 'funding');
    const { secretKey } = await rootKeys();
    await withServer(async (call) => {
      assert.equal((await call(secretKey, 'POST', '/v1/sandbox/pay', { payment_request: funding.payment_request })).status, 200);
    });

    const shown = await cli('invoice', payee.admin, '--sats', '100');
    assert.equal(shown.code, 0, shown.stderr);
    const [head, bolt11, ...qr] = shown.stdout.split('\n');
    assert.match(head as string, new RegExp(`^lntx_\\w+: 100 sats to ${payee.id}$`));
    assert.match(bolt11 as string, /^lnbcrt1u1\w+$/);
    assert.ok(qr.some((line) => line.includes('█')), 'a QR code drawn with block characters');

    const paid = await cli('pay', payer.admin, bolt11 as string);
    assert.equal(paid.code, 0, paid.stderr);
    assert.match(paid.stdout, new RegExp(`^wtx_\\w+: paid 100 sats from ${payer.id}; balance now 900 sats\n$`));
    const after = await balances();
    assert.deepEqual([after[payer.id], after[payee.id]], [900, 100]);

    const again = await cli('pay', payer.id, bolt11 as string);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'lnpayd pay: Unable to pay LN Invoice: invoice is already paid\n');
    const unknown = await cli('invoice', 'wal_nope', '--sats', '1');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'lnpayd invoice: Wallet not found: wal_nope\n');
    const zero = await cli('invoice', payee.id, '--sats', '0');
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--sats must be a whole number from 1 to/);
  });

  test('pay sends an outside invoice through the embedded node and prints the wtx', async () => {
    const { payer } = wallets;
    let outside = '';
    await withServer(async (call) => {
      outside = (await call((await rootKeys()).secretKey, 'POST', '/v1/sandbox/invoice', { num_satoshis: 10 })).body.payment_request;
    });
    const wtx = await cliJson('pay', payer.id, outside);
    assert.equal(wtx.num_satoshis, -10);
    assert.equal(wtx.wtxType.name, 'ln_withdrawal');
    assert.equal(wtx.lnTx.payment_request, outside);
  });

  test('webhooks deliveries lists an endpoint\'s deliveries; redeliver queues one; unknown ids exit 1', async () => {
    let endpoint = '';
    let deliveryId = '';
    await withServer(async (call) => {
      const key = (await rootKeys()).secretKey;
      endpoint = (await call(key, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['wallet_created'] })).body.id;
      assert.equal((await call(key, 'POST', '/v1/wallet', { user_label: 'hooked' })).status, 201);
      deliveryId = (await call(key, 'GET', `/v1/webhooks/${endpoint}/deliveries`)).body[0].id;
    });
    const listed = await cliJson('webhooks', 'deliveries', endpoint);
    assert.deepEqual(listed.map((d: any) => [d.id, d.event]), [[deliveryId, 'wallet_created']]);
    const human = await cli('webhooks', 'deliveries', endpoint);
    assert.match(human.stdout, new RegExp(`^${deliveryId} +(pending|failed) +wallet_created +attempts \\d+`));
    const badStatus = await cli('webhooks', 'deliveries', endpoint, '--status', 'lost');
    assert.equal(badStatus.code, 2);
    assert.match(badStatus.stderr, /--status must be one of pending, delivered, failed, got "lost"/);

    const redelivered = await cliJson('webhooks', 'redeliver', endpoint, deliveryId);
    assert.equal(redelivered.id, deliveryId);
    assert.equal(redelivered.status, 'pending');
    const noEndpoint = await cli('webhooks', 'deliveries', 'iwh_nope');
    assert.equal(noEndpoint.code, 1);
    assert.match(noEndpoint.stderr, /^lnpayd webhooks deliveries: Webhook not found: iwh_nope\n$/);
  });

  test('beside a running server: PGlite refuses every command (exit 3); PostgreSQL allows all but an embedded-node payment', async () => {
    await withServer(async () => {
      const listed = await cli('wallets', 'list');
      const pay = await cli('pay', wallets.payer.id, 'lnbcrt1');
      if (databaseUrl) {
        assert.equal(listed.code, 0, listed.stderr);
        assert.equal(pay.code, 3);
        assert.match(pay.stderr, /in use by another lnpayd process[\s\S]*Paying through the embedded Lightning node needs the server stopped/);
      } else {
        assert.equal(listed.code, 3);
        assert.match(listed.stderr, /in use by another lnpayd process[\s\S]*Stop the server first[\s\S]*DATABASE_URL/);
      }
    });
  });

  test('check exits 0 on a healthy ledger and 1, naming the problem, after a cached balance is corrupted', async () => {
    const healthy = await cli('check');
    assert.equal(healthy.code, 0, healthy.stderr);
    assert.match(healthy.stdout, /^invariants hold: 0 abandoned pending payments asked of the node; wallet liabilities \d+ sats\n$/);
    const payee = wallets.payee.id;
    const db = await openDatabase(dataDir, databaseUrl);
    try {
      await db.query('update wallets set balance_msat = balance_msat + 5000 where id = $1', [payee]);
    } finally {
      await db.close();
    }
    const broken = await cli('check');
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, new RegExp(`^INVARIANTS BROKEN \\(1\\):\n {2}- wallet ${payee} balance 105000 msat, postings 100000 msat\n`));
    const report = JSON.parse((await cli('check', '--json')).stdout);
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems, [`wallet ${payee} balance 105000 msat, postings 100000 msat`]);
  });

  test('a bad setting exits 2 naming the variable', async () => {
    const bad = await runCli({ ...env, INVARIANT_CHECK_MS: 'often' }, 'check');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /INVARIANT_CHECK_MS must be a whole number/);
  });

  test('start runs the server as npm start does', async () => {
    const server = await spawnLnpayd({ ...env, LOG_LEVEL: 'info' }, [BIN, 'start']);
    try {
      assert.equal((await apiCall(server.url, (await rootKeys()).secretKey, 'GET', '/v1/wallets')).status, 200);
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
  });
});
