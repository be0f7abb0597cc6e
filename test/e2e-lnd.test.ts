/**
 * lnpayd on a real regtest network (scripts/regtest/start.sh): its own LND
 * node plus an outside LND peer, driven through lnpayd's HTTP API and the
 * outside node's REST API. Skipped unless LNPAYD_REGTEST_ENV names the env
 * file start.sh wrote.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSigner, encodeInvoice } from '../src/bolt11/index.ts';
import { LndRest } from '../src/lightning/lnd/rest.ts';
import { createTestDatabase } from './helpers/database.ts';
import { type LnpaydProcess, apiCall, runUntilExit, spawnLnpayd } from './helpers/process.ts';
import { REGTEST_ENV_FILE, lndClient, outsidePays as payFromOutside, readEnvFile, until } from './helpers/regtest.ts';

const SAK = 'sak_' + 'e2eSecretKey0000000000000000';
const PAK = 'pak_' + 'e2ePublicKey0000000000000000';

describe('lnpayd on regtest LND', { skip: REGTEST_ENV_FILE ? false : 'set LNPAYD_REGTEST_ENV (scripts/regtest/start.sh)' }, () => {
  let env: Record<string, string>;
  let outside: LndRest;
  let mine: LndRest;
  let lnpayd: LnpaydProcess | undefined;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let a: { id: string; admin: string; invoice: string };
  let b: { id: string; admin: string; invoice: string };

  const start = async () => {
    lnpayd = await spawnLnpayd(env);
    return lnpayd.url;
  };
  const api = (method: string, path: string, key: string, body?: unknown) => apiCall(lnpayd?.url ?? '', key, method, path, body);
  const balance = async (w: { id: string }) => (await api('GET', `/v1/wallet/${w.id}`, SAK)).body.balance as number;
  const createWallet = async (label: string) => {
    const res = await api('POST', '/v1/wallet', SAK, { user_label: label });
    assert.equal(res.status, 201);
    return { id: res.body.id, admin: res.body.access_keys['Wallet Admin'][0], invoice: res.body.access_keys['Wallet Invoice'][0] };
  };
  const lnpaydInvoice = async (w: { invoice: string }, sats: number) => {
    const res = await api('POST', `/v1/wallet/${w.invoice}/invoice`, PAK, { num_satoshis: sats, memo: 'e2e' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; payment_request: string; r_hash_decoded: string };
  };
  const outsidePays = (paymentRequest: string) => payFromOutside(outside, paymentRequest);
  const outsideInvoice = async (sats: number, memo: string) =>
    outside.call<{ payment_request: string; r_hash: string }>('POST', '/v1/invoices', { value: String(sats), memo });

  before(async () => {
    const file = await readEnvFile(REGTEST_ENV_FILE ?? '');
    outside = await lndClient(file, 'OUTSIDE_LND');
    mine = await lndClient(file, 'LND');
    dataDir = await mkdtemp(join(tmpdir(), 'lnpayd-e2e-'));
    const database = await createTestDatabase();
    dropDatabase = database?.drop;
    env = {
      ...file,
      DATA_DIR: dataDir,
      LNPAYD_SECRET_KEY: SAK,
      LNPAYD_PUBLIC_KEY: PAK,
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    await start();
    a = await createWallet('a');
    b = await createWallet('b');
  });
  after(async () => {
    await lnpayd?.stop();
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('start-up refuses a network mismatch and a macaroon without the permissions lnpayd needs', async () => {
    const wrongNetwork = await runUntilExit({ ...env, DATA_DIR: join(dataDir, 'refused-1'), LND_NETWORK: 'mainnet' });
    assert.notEqual(wrongNetwork.code, 0);
    assert.match(wrongNetwork.output, /is on regtest, but LND_NETWORK is mainnet/);
    const baked = await mine.call<{ macaroon: string }>('POST', '/v1/macaroon', {
      permissions: [
        { entity: 'info', action: 'read' },
        { entity: 'invoices', action: 'read' },
        { entity: 'offchain', action: 'read' },
      ],
    });
    const readOnly = await runUntilExit({ ...env, DATA_DIR: join(dataDir, 'refused-2'), LND_MACAROON: baked.macaroon });
    assert.notEqual(readOnly.code, 0);
    assert.match(readOnly.output, /LND macaroon lacks invoices:write, offchain:write/);
  });

  test('an lnpayd invoice paid by the outside node: LnTx settled, wallet credited', async () => {
    const invoice = await lnpaydInvoice(a, 50_000);
    await outsidePays(invoice.payment_request);
    await until('the credit', async () => (await balance(a)) === 50_000);
    const lntx = await api('GET', `/v1/lntx/${invoice.id}`, SAK);
    assert.equal(lntx.body.settled, 1);
  });

  test('a wallet pays the outside node: debited amount + LND fee, reserve refunded', async () => {
    const before = await balance(a);
    const invoice = await outsideInvoice(2_000, 'from lnpayd');
    const res = await api('POST', `/v1/wallet/${a.admin}/withdraw`, PAK, { payment_request: invoice.payment_request });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const hash = Buffer.from(invoice.r_hash, 'base64').toString('hex');
    const paid = await mine.call<{ payments: { payment_hash: string; fee_msat: string }[] }>('GET', '/v1/payments?include_incomplete=true&reversed=true&max_payments=20');
    const payment = paid.payments.find((p) => p.payment_hash === hash);
    assert.ok(payment, 'LND made the payment');
    const feeSats = Math.ceil(Number(payment.fee_msat) / 1000);
    assert.equal(await balance(a), before - 2_000 - feeSats);
    const settled = await outside.call<{ state: string }>('GET', `/v1/invoice/${hash}`);
    assert.equal(settled.state, 'SETTLED');
  });

  test('a payment LND cannot route is refunded with a clear error', async () => {
    const before = await balance(a);
    const stranger = createSigner(new Uint8Array(randomBytes(32)));
    const unroutable = encodeInvoice(
      {
        network: 'bcrt',
        amountMsat: 1_000_000,
        timestamp: Math.floor(Date.now() / 1000),
        paymentHash: new Uint8Array(randomBytes(32)),
        paymentSecret: new Uint8Array(randomBytes(32)),
        description: 'nowhere',
        expirySeconds: 600,
        minFinalCltvExpiry: 40,
      },
      stranger,
    );
    const res = await api('POST', `/v1/wallet/${a.admin}/withdraw`, PAK, { payment_request: unroutable });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, /^Unable to pay LN Invoice: FAILURE_REASON_NO_ROUTE/);
    assert.equal(await balance(a), before);
  });

  test('a payment larger than the wallet holds is refused before LND, nothing moved', async () => {
    const before = await balance(a);
    const invoice = await outsideInvoice(before + 1, 'too large');
    const res = await api('POST', `/v1/wallet/${a.admin}/withdraw`, PAK, { payment_request: invoice.payment_request });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, /^Invoice too large :\) Max balance: \d+$/);
    assert.equal(await balance(a), before);
  });

  test('keysend to the outside node with custom records', async () => {
    const before = await balance(a);
    const res = await api('POST', `/v1/wallet/${a.admin}/keysend`, PAK, {
      dest_pubkey: env.OUTSIDE_PUBKEY,
      num_satoshis: 321,
      custom_records: { '696969': 'hello outside' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const invoices = await outside.call<{ invoices: { is_keysend: boolean; amt_paid_sat: string; htlcs: { custom_records: Record<string, string> }[] }[] }>(
      'GET',
      '/v1/invoices?reversed=true&num_max_invoices=5',
    );
    const received = invoices.invoices.find((i) => i.is_keysend && i.amt_paid_sat === '321');
    assert.ok(received, 'the outside node received the keysend');
    assert.equal(Buffer.from(received.htlcs[0]?.custom_records['696969'] ?? '', 'base64').toString(), 'hello outside');
    assert.ok((await balance(a)) <= before - 321);
  });

  test('an internal payment between two lnpayd wallets does not touch LND, and its LND invoice is canceled', async () => {
    const invoice = await lnpaydInvoice(b, 700);
    const aBefore = await balance(a);
    const bBefore = await balance(b);
    const res = await api('POST', `/v1/wallet/${a.admin}/withdraw`, PAK, { payment_request: invoice.payment_request });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(await balance(a), aBefore - 700);
    assert.equal(await balance(b), bBefore + 700);
    const payments = await mine.call<{ payments: { payment_hash: string }[] }>('GET', '/v1/payments?include_incomplete=true&reversed=true&max_payments=50');
    assert.ok(!payments.payments.some((p) => p.payment_hash === invoice.r_hash_decoded), 'LND made no payment');
    const lndInvoice = await until('the cancel', async () => {
      const found = await mine.call<{ state: string }>('GET', `/v1/invoice/${invoice.r_hash_decoded}`);
      return found.state === 'CANCELED' && found;
    });
    assert.equal(lndInvoice.state, 'CANCELED');
  });

  test('lnpayd killed while a payment is in flight ends it correctly after restart', async () => {
    const preimage = randomBytes(32);
    const hash = createHash('sha256').update(preimage).digest();
    const hold = await outside.call<{ payment_request: string }>('POST', '/v2/invoices/hodl', { hash: hash.toString('base64'), value: '1500', memo: 'held' });
    const before = await balance(a);
    const paying = api('POST', `/v1/wallet/${a.admin}/withdraw`, PAK, { payment_request: hold.payment_request }).catch(() => undefined);
    await until('the HTLC at the outside node', async () => {
      const invoice = await outside.call<{ state: string }>('GET', `/v1/invoice/${hash.toString('hex')}`);
      return invoice.state === 'ACCEPTED';
    });
    await lnpayd?.stop('SIGKILL');
    await paying;
    await outside.call('POST', '/v2/invoices/settle', { preimage: preimage.toString('base64') });
    await start();
    // Recovery waits out its grace period before asking LND about a pending payment.
    await until('the recovered payment', async () => (await balance(a)) === before - 1_500, 90_000);
    const txs = await api('GET', `/v1/wallet/${a.admin}/transactions`, PAK);
    assert.equal(txs.status, 200, JSON.stringify(txs.body));
    const sent = txs.body.filter((t: { lnTx: { r_hash_decoded?: string } | null }) => t.lnTx?.r_hash_decoded === hash.toString('hex'));
    assert.equal(sent.length, 1, 'the send is recorded once');
  });

  test('settlements that happened while lnpayd was down are credited once after restart', async () => {
    const invoices = [await lnpaydInvoice(b, 111), await lnpaydInvoice(b, 222)];
    const before = await balance(b);
    await lnpayd?.stop();
    for (const invoice of invoices) await outsidePays(invoice.payment_request);
    await start();
    await until('both credits', async () => (await balance(b)) === before + 333);
    await lnpayd?.stop();
    await start();
    await sleep(3000);
    assert.equal(await balance(b), before + 333, 'credited once, also after another restart');
  });
});
