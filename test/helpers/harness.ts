import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { loadConfig } from '../../src/config.ts';
import { checkLedger } from '../../src/ledger/invariants.ts';
import { type RunningServer, createLogger, startServer } from '../../src/server.ts';
import { createTestDatabase, newDataDir } from './database.ts';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  key?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the body exactly as given (for malformed-input tests). */
  raw?: string;
}

export interface TestWallet {
  id: string;
  keys: { admin: string; invoice: string; read: string; lnurlWithdraw: string; lnurlPay: string; extAdmin: string; extView: string };
}

/** The wallet and its access keys from a `POST /v1/wallet` reply. */
export function walletOf(body: any): TestWallet {
  const k = body.access_keys;
  return {
    id: body.id,
    keys: {
      admin: k['Wallet Admin'][0],
      invoice: k['Wallet Invoice'][0],
      read: k['Wallet Read'][0],
      lnurlWithdraw: k['Wallet LNURL Withdraw'][0],
      lnurlPay: k['Wallet LNURL Pay'][0],
      extAdmin: k['Wallet External Website Admin'][0],
      extView: k['Wallet External Website View'][0],
    },
  };
}

/** A real lnpayd listening on 127.0.0.1 with its own data dir and database. */
export class Harness {
  private constructor(
    readonly server: RunningServer,
    readonly dataDir: string,
    readonly sak: string,
    readonly pak: string,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<Harness> {
    const dataDir = await newDataDir('lnpayd-test-');
    const database = await createTestDatabase();
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...env,
    });
    const server = await startServer(config, createLogger('silent'));
    const generated = server.rootKeys.generated;
    const sak = env.LNPAYD_SECRET_KEY ?? generated?.secretKey;
    const pak = env.LNPAYD_PUBLIC_KEY ?? generated?.publicKey;
    assert.ok(sak && pak, 'root keys known');
    return new Harness(server, dataDir, sak, pak, async () => {
      await server.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    });
  }

  get url(): string {
    return this.server.url;
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers['X-Api-Key'] = options.key;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: callers assert on `text`.
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  async createWallet(label = 'test wallet'): Promise<TestWallet> {
    const res = await this.request('POST', '/v1/wallet', { key: this.sak, body: { user_label: label } });
    assert.equal(res.status, 201, res.text);
    return walletOf(res.body);
  }

  async createInvoice(wallet: TestWallet, body: Record<string, unknown>) {
    const res = await this.request('POST', `/v1/wallet/${wallet.keys.invoice}/invoice`, { key: this.pak, body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  /** Money in from "outside": an invoice of the wallet paid through the sandbox. */
  async fund(wallet: TestWallet, sats: number): Promise<void> {
    const invoice = await this.createInvoice(wallet, { num_satoshis: sats, memo: 'funding' });
    const paid = await this.request('POST', '/v1/sandbox/pay', {
      key: this.sak,
      body: { payment_request: invoice.payment_request },
    });
    assert.equal(paid.status, 200, paid.text);
  }

  async balance(wallet: TestWallet): Promise<number> {
    const res = await this.request('GET', `/v1/wallet/${wallet.id}`, { key: this.sak });
    assert.equal(res.status, 200, res.text);
    return res.body.balance;
  }

  /** The ledger's invariants hold: call after every test that moves money. */
  async assertLedger(): Promise<void> {
    const report = await checkLedger(this.server.ctx.db);
    assert.deepEqual(report.problems, [], 'ledger invariants');
  }

  async close(): Promise<void> {
    await this.cleanup();
  }
}
