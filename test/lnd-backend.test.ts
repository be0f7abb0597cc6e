import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig } from '../src/config.ts';
import type { SettledInvoice } from '../src/lightning/backend.ts';
import { LndNode } from '../src/lightning/lnd/node.ts';
import { type RunningServer, createLogger, startServer } from '../src/server.ts';
import { createTestDatabase, newDataDir } from './helpers/database.ts';
import { apiCall } from './helpers/process.ts';
import { LndStub } from './helpers/lndStub.ts';

const MACAROON = 'ab'.repeat(40);
const options = (stub: LndStub, network = 'regtest') => ({ url: stub.url, macaroonHex: MACAROON, tlsCert: undefined, network });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('LND REST backend against a stub of LND', () => {
  let stub: LndStub;
  let node: LndNode;
  before(async () => {
    stub = await LndStub.start();
    node = await LndNode.open(options(stub));
  });
  after(() => stub.close());

  test('start-up: node info over REST with the macaroon header', async () => {
    assert.deepEqual(await node.info(), { pubkey: stub.pubkey, alias: 'stub', network: 'regtest' });
    assert.ok(stub.requests.every((r) => r.macaroon === MACAROON));
  });

  test('start-up refuses a network mismatch, missing permissions and an unreachable node, naming the cause', async () => {
    await assert.rejects(LndNode.open(options(stub, 'mainnet')), /is on regtest, but LND_NETWORK is mainnet/);
    stub.denied = new Set(['invoices:write', 'offchain:write']);
    await assert.rejects(LndNode.open(options(stub)), /macaroon lacks invoices:write, offchain:write/);
    stub.denied = new Set(['info:read']);
    await assert.rejects(LndNode.open(options(stub)), /macaroon lacks info:read/);
    stub.denied = new Set();
    await assert.rejects(
      LndNode.open({ ...options(stub), url: 'http://127.0.0.1:9' }),
      /cannot start with LND: LND at http:\/\/127.0.0.1:9 is unreachable/,
    );
  });

  test('createInvoice hands LND our preimage and maps the answer', async () => {
    const created = await node.createInvoice({ amountMsat: 21_000, description: 'coffee', expirySeconds: 600 });
    const sent = stub.invoices.at(-1);
    assert.ok(sent);
    assert.deepEqual(sent.request, {
      value_msat: '21000',
      expiry: '600',
      r_preimage: Buffer.from(created.preimage, 'hex').toString('base64'),
      memo: 'coffee',
    });
    assert.equal(created.paymentHash, createHash('sha256').update(Buffer.from(created.preimage, 'hex')).digest('hex'));
    assert.equal(created.paymentRequest, sent.paymentRequest);
    assert.match(created.paymentSecret, /^[0-9a-f]{64}$/);
    assert.equal(created.expiresAt - created.createdAt, 600);
    const hashed = await node.createInvoice({ amountMsat: 1000, descriptionHash: new Uint8Array(32).fill(7), expirySeconds: 60 });
    assert.equal(stub.invoices.at(-1)?.request.description_hash, Buffer.alloc(32, 7).toString('base64'));
    assert.equal((await node.decode(hashed.paymentRequest)).descriptionHash, '07'.repeat(32));
  });

  test('payInvoice: success with the real fee, failure with LND reason, fee limit and timeout passed', async () => {
    const payee = await node.createInvoice({ amountMsat: 50_000, description: 'out', expirySeconds: 600 });
    stub.payments.set(payee.paymentHash, { status: 'SUCCEEDED', feeMsat: 1_234, preimage: payee.preimage });
    const req = { paymentRequest: payee.paymentRequest, paymentHash: payee.paymentHash, amountMsat: 50_000, feeLimitMsat: 3_000, timeoutSeconds: 5 };
    assert.deepEqual(await node.payInvoice(req), { status: 'succeeded', preimage: payee.preimage, feeMsat: 1_234 });
    assert.deepEqual(stub.sent.at(-1), {
      payment_request: payee.paymentRequest,
      fee_limit_msat: '3000',
      timeout_seconds: 5,
      no_inflight_updates: true,
    });
    stub.payments.set(payee.paymentHash, { status: 'FAILED', reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE' });
    assert.deepEqual(await node.payInvoice(req), { status: 'failed', reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE' });
  });

  test('payInvoice refused by LND: its record decides (none → failed with the reason; already paid → the tracked result)', async () => {
    const payee = await node.createInvoice({ amountMsat: 5_000, description: 'x', expirySeconds: 600 });
    const req = { paymentRequest: payee.paymentRequest, paymentHash: payee.paymentHash, amountMsat: 5_000, feeLimitMsat: 1_000, timeoutSeconds: 5 };
    stub.payments.set(payee.paymentHash, { error: { http: 500, code: 2, message: 'invalid payment request: invoice expired' } });
    const refused = await node.payInvoice(req);
    assert.deepEqual(refused, { status: 'failed', reason: 'invalid payment request: invoice expired' });
  });

  test('payInvoice that outlasts the timeout is in flight; paymentStatus maps track results and "not initiated"', async () => {
    const payee = await node.createInvoice({ amountMsat: 5_000, description: 'hold', expirySeconds: 600 });
    stub.payments.set(payee.paymentHash, 'silent');
    const started = Date.now();
    const req = { paymentRequest: payee.paymentRequest, paymentHash: payee.paymentHash, amountMsat: 5_000, feeLimitMsat: 1_000, timeoutSeconds: 1 };
    assert.deepEqual(await node.payInvoice(req), { status: 'in_flight' });
    assert.ok(Date.now() - started < 4000);
    assert.deepEqual(await node.paymentStatus(payee.paymentHash), { status: 'in_flight' });
    stub.payments.set(payee.paymentHash, { status: 'SUCCEEDED', feeMsat: 7, preimage: payee.preimage });
    assert.deepEqual(await node.paymentStatus(payee.paymentHash), { status: 'succeeded', preimage: payee.preimage, feeMsat: 7 });
    assert.deepEqual(await node.paymentStatus(randomBytes(32).toString('hex')), { status: 'failed', reason: 'payment not found on the node' });
  });

  test('a broken connection is not a failure: the caller keeps the payment pending', async () => {
    const dead = await LndNode.open(options(stub));
    await stub.close();
    await assert.rejects(dead.paymentStatus('00'.repeat(32)), /unreachable/);
    stub = await LndStub.start();
    node = await LndNode.open(options(stub));
  });

  test('keysend: destination, our hash, preimage TLV as bytes, other records as UTF-8', async () => {
    const preimage = randomBytes(32).toString('hex');
    const paymentHash = createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex');
    stub.payments.set(paymentHash, { status: 'SUCCEEDED', feeMsat: 0, preimage });
    const result = await node.keysend({
      destPubkey: stub.pubkey,
      paymentHash,
      preimage,
      amountMsat: 10_000,
      feeLimitMsat: 1_000,
      customRecords: { '696969': 'wal_abc', '5482373484': preimage },
      timeoutSeconds: 5,
    });
    assert.equal(result.status, 'succeeded');
    const body = stub.sent.at(-1);
    assert.equal(body?.dest, Buffer.from(stub.pubkey, 'hex').toString('base64'));
    assert.equal(body?.payment_hash, Buffer.from(paymentHash, 'hex').toString('base64'));
    assert.equal(body?.amt_msat, '10000');
    assert.deepEqual(body?.dest_custom_records, {
      '696969': Buffer.from('wal_abc').toString('base64'),
      '5482373484': Buffer.from(preimage, 'hex').toString('base64'),
    });
  });

  test('queryRoutes maps LND routes; "unable to find a path" is no routes', async () => {
    const found = await node.queryRoutes({ destPubkey: stub.routable, amountMsat: 12_345_000 });
    assert.deepEqual(found, {
      routes: [{
        totalTimeLock: 592,
        totalFeesMsat: 0,
        totalAmtMsat: 12_345_000,
        hops: [{ chanId: '557452395347968', chanCapacitySat: 5_000_000, amtToForwardMsat: 12_345_000, feeMsat: 0, expiry: 592, pubKey: stub.routable }],
      }],
      successProb: 1,
    });
    assert.deepEqual(await node.queryRoutes({ destPubkey: '02' + 'ab'.repeat(32), amountMsat: 1000 }), { routes: [], successProb: 0 });
  });

  test('settlements: replayed after a stored settle index, followed live, resumed after the stream drops', async () => {
    const [one, two, three] = await Promise.all(
      [1, 2, 3].map((n) => node.createInvoice({ amountMsat: n * 1000, description: `s${n}`, expirySeconds: 600 })),
    );
    assert.ok(one && two && three);
    const base = stub.invoices.filter((i) => i.settleIndex > 0).length;
    stub.settle(one.paymentHash);
    stub.settle(two.paymentHash);
    const seen: SettledInvoice[] = [];
    const stop = node.subscribeSettlements(base + 1, async (s) => void seen.push(s), () => {});
    await until('the backlog', () => seen.length === 1);
    assert.deepEqual(seen[0], { paymentHash: two.paymentHash, preimage: two.preimage, amountMsat: 2000, settleIndex: base + 2 });
    stub.dropStreams();
    stub.settle(three.paymentHash);
    await until('the settlement after reconnecting', () => seen.length === 2, 8000);
    assert.equal(seen[1]?.settleIndex, base + 3);
    assert.ok(stub.requests.some((r) => r.path === `/v1/invoices/subscribe?settle_index=${base + 2}`), 'resumed after the last handled');
    await stop();
  });

  test('settlements from index 0 list what LND already settled (LND replays nothing for 0)', async () => {
    const seen: SettledInvoice[] = [];
    const stop = node.subscribeSettlements(0, async (s) => void seen.push(s), () => {});
    const settled = stub.invoices.filter((i) => i.state === 'SETTLED').length;
    await until('the listing', () => seen.length === settled);
    await stop();
  });

  test('a failing onSettle is retried, never skipped', async () => {
    const invoice = await node.createInvoice({ amountMsat: 1000, description: 'retry', expirySeconds: 600 });
    const index = Math.max(...stub.invoices.map((i) => i.settleIndex));
    let attempts = 0;
    const errors: unknown[] = [];
    const stop = node.subscribeSettlements(
      index,
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('database down');
      },
      (err) => errors.push(err),
    );
    await until('the subscription', () => stub.subscriberCount() > 0);
    stub.settle(invoice.paymentHash);
    await until('the retry', () => attempts === 2, 8000);
    assert.equal(errors.length, 1);
    await stop();
  });
});

describe('LND configuration', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lnpayd-lnd-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const lndEnv = (extra: Record<string, string>) => ({ LIGHTNING_BACKEND: 'lnd', LND_REST_URL: 'https://127.0.0.1:8080', ...extra });

  test('the macaroon is hex or a file path; the certificate a readable PEM file; the network a known one', async () => {
    assert.equal(loadConfig(lndEnv({ LND_MACAROON: 'AB'.repeat(20) })).lnd?.macaroonHex, 'ab'.repeat(20));
    const macaroonFile = join(dir, 'admin.macaroon');
    await writeFile(macaroonFile, Buffer.from([2, 1, 3, 0xff]));
    const certFile = join(dir, 'tls.cert');
    await writeFile(certFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const lnd = loadConfig(lndEnv({ LND_MACAROON: macaroonFile, LND_TLS_CERT: certFile, LND_NETWORK: 'regtest' })).lnd;
    assert.equal(lnd?.macaroonHex, '020103ff');
    assert.equal(lnd?.network, 'regtest');
    assert.throws(() => loadConfig(lndEnv({ LND_MACAROON: join(dir, 'missing') })), /LND_MACAROON names a file that cannot be read \(ENOENT\)/);
    assert.throws(() => loadConfig(lndEnv({ LND_MACAROON: macaroonFile, LND_TLS_CERT: macaroonFile })), /LND_TLS_CERT must be a PEM/);
    assert.throws(() => loadConfig(lndEnv({ LND_MACAROON: macaroonFile, LND_NETWORK: 'moon' })), /LND_NETWORK must be one of/);
    assert.throws(() => loadConfig(lndEnv({ LND_MACAROON: '' })), /LND_MACAROON must be set/);
    assert.throws(() => loadConfig({ LIGHTNING_BACKEND: 'lnd', LND_MACAROON: macaroonFile }), ConfigError);
  });
});

describe('lnpayd on the LND backend (stub node)', () => {
  let stub: LndStub;
  let dataDir: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: RunningServer | undefined;
  const start = async () => {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LIGHTNING_BACKEND: 'lnd',
      LND_REST_URL: stub.url,
      LND_MACAROON: MACAROON,
      LND_NETWORK: 'regtest',
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    server = await startServer(config, createLogger('silent'));
    return server;
  };
  before(async () => {
    stub = await LndStub.start();
    dataDir = await newDataDir('lnpayd-lnd-');
    database = await createTestDatabase();
  });
  after(async () => {
    await server?.close();
    await stub.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('an invoice paid at the node is credited once; one paid while lnpayd was down is credited after restart', async () => {
    let running = await start();
    const sak = running.rootKeys.generated?.secretKey ?? '';
    const pak = running.rootKeys.generated?.publicKey ?? '';
    const wallet = await apiCall(running.url, sak, 'POST', '/v1/wallet', { user_label: 'lnd' });
    const invoiceKey = wallet.body.access_keys['Wallet Invoice'][0];
    const invoice = async (url: string, sats: number) =>
      (await apiCall(url, pak, 'POST', `/v1/wallet/${invoiceKey}/invoice`, { num_satoshis: sats, memo: 'in' })).body;
    const balance = async (url: string) => (await apiCall(url, sak, 'GET', `/v1/wallet/${wallet.body.id}`)).body.balance;

    const first = await invoice(running.url, 100);
    stub.settle(first.r_hash_decoded);
    await until('the credit', async () => (await balance(running.url)) === 100);
    stub.dropStreams();
    await until('the resubscription', () => stub.subscriberCount() > 0, 8000);
    assert.equal(await balance(running.url), 100, 'a replay credits nothing twice');

    const second = await invoice(running.url, 30);
    await running.close();
    server = undefined;
    stub.settle(second.r_hash_decoded);
    running = await start();
    await until('the credit of the payment made while down', async () => (await balance(running.url)) === 130);
    const settled = stub.invoices.find((i) => i.hash === second.r_hash_decoded);
    assert.ok(stub.requests.some((r) => r.path === `/v1/invoices/subscribe?settle_index=${(settled?.settleIndex ?? 0) - 1}`));
  });
});
