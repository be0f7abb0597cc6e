import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { checkLedger } from '../src/ledger/invariants.ts';
import { createTestDatabase, newDataDir, openDatabase } from './helpers/database.ts';
import { apiCall, spawnLnpayd } from './helpers/process.ts';

const SAK = 'sak_shutdownTestSecretKey0001';
const PAK = 'pak_shutdownTestPublicKey0001';
const WALLETS = 3;
const FUNDING_SATS = 100_000;
const WORKERS = 6;
/** Requests answered before the signal: enough that the load is in full swing. */
const ANSWERED_BEFORE_SIGNAL = 30;

interface Wallet {
  id: string;
  adminKey: string;
  invoiceKey: string;
}

type Outcome =
  | { kind: 'answered'; status: number; body: any }
  | { kind: 'no answer'; error: string }
  | { kind: 'cut mid-response'; status: number; error: string };

/** One request, telling apart "never answered" (fine once the server closes) from an answer cut short (never fine). */
async function send(url: string, key: string, method: string, path: string, body?: unknown): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(url + path, {
      method,
      headers: { 'X-Api-Key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    return { kind: 'no answer', error: String((err as Error).cause ?? err) };
  }
  try {
    return { kind: 'answered', status: res.status, body: JSON.parse(await res.text()) };
  } catch (err) {
    return { kind: 'cut mid-response', status: res.status, error: String(err) };
  }
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;

describe('graceful shutdown under load', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  before(async () => {
    dataDir = await newDataDir('lnpayd-shutdown-');
    const database = await createTestDatabase();
    dropDatabase = database?.drop;
    env = {
      DATA_DIR: dataDir,
      LNPAYD_SECRET_KEY: SAK,
      LNPAYD_PUBLIC_KEY: PAK,
      SHUTDOWN_TIMEOUT_MS: '10000',
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
  });
  after(async () => {
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM mid-load: every answer complete and valid, exit 0, and after a restart the ledger holds and balances match the answers', async () => {
    const server = await spawnLnpayd(env);
    const wallets: Wallet[] = [];
    const expected = new Map<string, number>();
    for (let i = 0; i < WALLETS; i++) {
      const created = await apiCall(server.url, SAK, 'POST', '/v1/wallet', { user_label: `w${i}` });
      assert.equal(created.status, 201);
      const wallet = {
        id: created.body.id,
        adminKey: created.body.access_keys['Wallet Admin'][0],
        invoiceKey: created.body.access_keys['Wallet Invoice'][0],
      };
      const invoice = await apiCall(server.url, PAK, 'POST', `/v1/wallet/${wallet.invoiceKey}/invoice`, { num_satoshis: FUNDING_SATS });
      const paid = await apiCall(server.url, SAK, 'POST', '/v1/sandbox/pay', { payment_request: invoice.body.payment_request });
      assert.equal(paid.status, 200);
      wallets.push(wallet);
      expected.set(wallet.id, FUNDING_SATS);
    }
    const move = (from: Wallet, to: Wallet, sats: number) => {
      expected.set(from.id, (expected.get(from.id) ?? 0) - sats);
      expected.set(to.id, (expected.get(to.id) ?? 0) + sats);
    };

    const outcomes: { sentAfterSignal: boolean; what: string; outcome: Outcome }[] = [];
    let signalled = false;
    let answeredBeforeSignal = 0;
    let signalSent!: () => void;
    const loadInFullSwing = new Promise<void>((resolve) => (signalSent = resolve));
    const request = async (what: string, key: string, method: string, path: string, body?: unknown) => {
      const sentAfterSignal = signalled;
      const outcome = await send(server.url, key, method, path, body);
      outcomes.push({ sentAfterSignal, what, outcome });
      if (!signalled && outcome.kind === 'answered' && ++answeredBeforeSignal >= ANSWERED_BEFORE_SIGNAL) signalSent();
      return outcome;
    };
    const worker = async () => {
      for (;;) {
        const from = pick(wallets);
        const to = pick(wallets.filter((w) => w !== from));
        const sats = 1 + Math.floor(Math.random() * 50);
        const op = pick(['invoice', 'transfer', 'internal payment']);
        let last: Outcome;
        if (op === 'invoice') {
          last = await request(op, PAK, 'POST', `/v1/wallet/${to.invoiceKey}/invoice`, { num_satoshis: sats, memo: 'load' });
        } else if (op === 'transfer') {
          last = await request(op, PAK, 'POST', `/v1/wallet/${from.adminKey}/transfer`, { dest_wallet_id: to.id, num_satoshis: sats });
          if (last.kind === 'answered' && last.status === 201) move(from, to, sats);
        } else {
          last = await request('invoice', PAK, 'POST', `/v1/wallet/${to.invoiceKey}/invoice`, { num_satoshis: sats });
          if (last.kind === 'answered' && last.status === 201) {
            last = await request(op, PAK, 'POST', `/v1/wallet/${from.adminKey}/withdraw`, { payment_request: last.body.payment_request });
            if (last.kind === 'answered' && last.status === 201) move(from, to, sats);
          }
        }
        if (last.kind !== 'answered') return;
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    await loadInFullSwing;
    signalled = true;
    const exitCode = server.stop('SIGTERM');
    await load;
    assert.equal(await exitCode, 0, server.output());

    const answered = outcomes.filter((o) => o.outcome.kind === 'answered');
    assert.ok(answered.length >= ANSWERED_BEFORE_SIGNAL);
    for (const { what, outcome } of outcomes) {
      assert.notEqual(outcome.kind, 'cut mid-response', `${what}: ${JSON.stringify(outcome)}`);
      if (outcome.kind === 'answered') {
        assert.ok(outcome.status < 500, `${what} answered ${outcome.status}: ${JSON.stringify(outcome.body)}`);
        if (outcome.status >= 400) assert.deepEqual(Object.keys(outcome.body), ['name', 'message', 'code', 'status']);
      }
    }
    const unanswered = outcomes.filter((o) => o.outcome.kind === 'no answer');
    assert.ok(unanswered.length >= 1, 'the load ran until the server stopped taking requests');

    const restarted = await spawnLnpayd(env);
    try {
      for (const wallet of wallets) {
        const read = await apiCall(restarted.url, SAK, 'GET', `/v1/wallet/${wallet.id}`);
        assert.equal(read.body.balance, expected.get(wallet.id), `balance of ${wallet.id} matches the successful answers`);
      }
    } finally {
      assert.equal(await restarted.stop('SIGTERM'), 0);
    }
    const db = await openDatabase(dataDir, env.DATABASE_URL);
    try {
      assert.deepEqual((await checkLedger(db)).problems, []);
    } finally {
      await db.close();
    }
  });
});
