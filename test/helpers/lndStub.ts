import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner, decodeInvoice, encodeInvoice } from '../../src/bolt11/index.ts';

type Json = Record<string, unknown>;

/** A scripted answer of /v2/router/send or /v2/router/track: final payment, error, or silence (in flight). */
export type PaymentScript =
  | { status: 'SUCCEEDED'; feeMsat: number; preimage: string }
  | { status: 'FAILED'; reason: string }
  | { error: { http: number; code: number; message: string } }
  | 'silent';

export interface StubInvoice {
  hash: string;
  preimage: string;
  request: Json;
  paymentRequest: string;
  addIndex: number;
  settleIndex: number;
  state: 'OPEN' | 'SETTLED' | 'CANCELED';
  amtPaidMsat: number;
}

/**
 * LND's REST API as documented (lnrpc / routerrpc / invoicesrpc JSON: int64 as
 * strings, bytes as base64, streams as one `{"result": …}` line each), on
 * plain HTTP. Invoices are real signed BOLT11; settlements are driven by the test.
 */
export class LndStub {
  readonly key = randomBytes(32);
  readonly signer = createSigner(new Uint8Array(this.key));
  readonly pubkey = Buffer.from(this.signer.publicKey).toString('hex');
  network = 'regtest';
  /** Permissions the macaroon lacks; probes for them answer "permission denied". */
  denied = new Set<string>();
  readonly invoices: StubInvoice[] = [];
  readonly sent: Json[] = [];
  readonly requests: { method: string; path: string; macaroon: string | undefined }[] = [];
  /** Answers by payment hash (hex); a send without a script fails with "no route". */
  readonly payments = new Map<string, PaymentScript>();
  /** The one destination QueryRoutes finds a (direct) route to. */
  routable = '02' + 'cd'.repeat(32);
  /** Answered as the channels' local balance by /v1/balance/channels. */
  localBalanceMsat = 0;
  private settleCounter = 0;
  private readonly subscribers = new Set<{ res: ServerResponse; from: number }>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  static async start(): Promise<LndStub> {
    const stub = new LndStub();
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** An outside payer pays one of the stub's invoices. */
  settle(paymentHash: string): StubInvoice {
    const invoice = this.invoices.find((i) => i.hash === paymentHash);
    if (!invoice) throw new Error(`no invoice ${paymentHash}`);
    invoice.state = 'SETTLED';
    invoice.settleIndex = ++this.settleCounter;
    invoice.amtPaidMsat = Number(invoice.request.value_msat);
    for (const sub of this.subscribers) sub.res.write(JSON.stringify({ result: invoiceJson(invoice) }) + '\n');
    return invoice;
  }

  /** Ends every open invoice stream, as LND does when it restarts. */
  dropStreams(): void {
    for (const sub of this.subscribers) sub.res.end();
    this.subscribers.clear();
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  async close(): Promise<void> {
    this.dropStreams();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Json) : {};
    const url = new URL(req.url ?? '/', 'http://stub');
    const macaroon = req.headers['grpc-metadata-macaroon'] as string | undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, macaroon });
    const route = `${req.method} ${url.pathname.replace(/^\/v2\/router\/track\/.*/, '/v2/router/track/*').replace(/^\/v1\/graph\/routes\/.*/, '/v1/graph/routes/*')}`;
    const permission = PERMISSIONS[route];
    if (permission && this.denied.has(permission)) return reply(res, 500, { code: 2, message: 'verification failed: permission denied', details: [] });
    switch (route) {
      case 'GET /v1/getinfo':
        return reply(res, 200, { identity_pubkey: this.pubkey, alias: 'stub', chains: [{ chain: 'bitcoin', network: this.network }], synced_to_chain: true });
      case 'POST /v1/invoices':
        return reply(res, 200, this.addInvoice(body));
      case 'GET /v1/invoices': {
        const offset = Number(url.searchParams.get('index_offset') ?? 0);
        const page = this.invoices.filter((i) => i.addIndex > offset).slice(0, Number(url.searchParams.get('num_max_invoices') ?? 100));
        return reply(res, 200, { invoices: page.map(invoiceJson), last_index_offset: String(page.at(-1)?.addIndex ?? offset), first_index_offset: '0' });
      }
      case 'GET /v1/invoices/subscribe':
        return this.subscribe(res, Number(url.searchParams.get('settle_index') ?? 0));
      case 'POST /v2/invoices/cancel': {
        const invoice = this.invoices.find((i) => i.hash === b64hex(body.payment_hash));
        if (!invoice) return reply(res, 500, { code: 2, message: 'unable to locate invoice', details: [] });
        invoice.state = 'CANCELED';
        return reply(res, 200, {});
      }
      case 'GET /v1/payments':
        return reply(res, 200, { payments: [], first_index_offset: '0', last_index_offset: '0', total_num_payments: '0' });
      case 'DELETE /v1/payment':
        return reply(res, 500, { code: 2, message: 'non bucket element in payments bucket', details: [] });
      case 'POST /v2/router/send': {
        this.sent.push(body);
        const hash = body.payment_hash ? b64hex(body.payment_hash) : decodeInvoice(String(body.payment_request)).paymentHash;
        return this.stream(res, hash, this.payments.get(hash) ?? { status: 'FAILED', reason: 'FAILURE_REASON_NO_ROUTE' });
      }
      case 'GET /v2/router/track/*': {
        const hash = Buffer.from(decodeURIComponent(url.pathname.split('/').at(-1) ?? ''), 'base64url').toString('hex');
        const script = this.payments.get(hash);
        // A send LND refused left no payment behind.
        if (script === undefined || (script !== 'silent' && 'error' in script)) {
          return reply(res, 404, { error: { code: 5, message: "payment isn't initiated", details: [] } });
        }
        return this.stream(res, hash, script);
      }
      case 'GET /v1/balance/channels':
        return reply(res, 200, { local_balance: { sat: String(Math.floor(this.localBalanceMsat / 1000)), msat: String(this.localBalanceMsat) } });
      case 'GET /v1/graph/routes/*': {
        const [, , , , pubKey] = url.pathname.split('/');
        if (pubKey !== this.routable) return reply(res, 500, { code: 2, message: 'unable to find a path to destination', details: [] });
        const amt = url.searchParams.get('amt_msat') ?? '0';
        const hop = { chan_id: '557452395347968', chan_capacity: '5000000', amt_to_forward_msat: amt, fee_msat: '0', expiry: 592, pub_key: pubKey };
        return reply(res, 200, { routes: [{ total_time_lock: 592, total_fees_msat: '0', total_amt_msat: amt, hops: [hop] }], success_prob: 1 });
      }
      default:
        return reply(res, 404, { code: 5, message: 'Not Found', details: [] });
    }
  }

  private addInvoice(body: Json): Json {
    const preimage = Buffer.from(String(body.r_preimage), 'base64');
    const hash = createHash('sha256').update(preimage).digest();
    const secret = randomBytes(32);
    const paymentRequest = encodeInvoice(
      {
        network: 'bcrt',
        amountMsat: Number(body.value_msat),
        timestamp: Math.floor(Date.now() / 1000),
        paymentHash: new Uint8Array(hash),
        paymentSecret: new Uint8Array(secret),
        expirySeconds: Number(body.expiry),
        minFinalCltvExpiry: 80,
        ...(body.description_hash
          ? { descriptionHash: new Uint8Array(Buffer.from(String(body.description_hash), 'base64')) }
          : { description: String(body.memo ?? '') }),
      },
      this.signer,
    );
    const invoice: StubInvoice = {
      hash: hash.toString('hex'),
      preimage: preimage.toString('hex'),
      request: body,
      paymentRequest,
      addIndex: this.invoices.length + 1,
      settleIndex: 0,
      state: 'OPEN',
      amtPaidMsat: 0,
    };
    this.invoices.push(invoice);
    return { r_hash: hash.toString('base64'), payment_request: paymentRequest, add_index: String(invoice.addIndex), payment_addr: secret.toString('base64') };
  }

  private subscribe(res: ServerResponse, from: number): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    // LND replays settlements after a non-zero settle_index only.
    if (from > 0) {
      const backlog = this.invoices.filter((i) => i.settleIndex > from).sort((a, b) => a.settleIndex - b.settleIndex);
      for (const invoice of backlog) res.write(JSON.stringify({ result: invoiceJson(invoice) }) + '\n');
    }
    const sub = { res, from };
    this.subscribers.add(sub);
    res.on('close', () => this.subscribers.delete(sub));
  }

  private stream(res: ServerResponse, hash: string, script: PaymentScript): void {
    if (script === 'silent') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return;
    }
    if ('error' in script) return reply(res, script.error.http, { error: { code: script.error.code, message: script.error.message, details: [] } });
    const payment = {
      payment_hash: hash,
      value_msat: '0',
      status: script.status,
      fee_msat: script.status === 'SUCCEEDED' ? String(script.feeMsat) : '0',
      payment_preimage: script.status === 'SUCCEEDED' ? script.preimage : '0'.repeat(64),
      failure_reason: script.status === 'FAILED' ? script.reason : 'FAILURE_REASON_NONE',
      htlcs: [],
    };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ result: payment }) + '\n');
  }
}

const PERMISSIONS: Record<string, string> = {
  'GET /v1/getinfo': 'info:read',
  'POST /v1/invoices': 'invoices:write',
  'GET /v1/invoices': 'invoices:read',
  'GET /v1/invoices/subscribe': 'invoices:read',
  'POST /v2/invoices/cancel': 'invoices:write',
  'GET /v1/payments': 'offchain:read',
  'DELETE /v1/payment': 'offchain:write',
  'POST /v2/router/send': 'offchain:write',
  'GET /v2/router/track/*': 'offchain:read',
  'GET /v1/balance/channels': 'offchain:read',
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function b64hex(value: unknown): string {
  return Buffer.from(String(value), 'base64').toString('hex');
}

function invoiceJson(i: StubInvoice): Json {
  return {
    memo: i.request.memo ?? '',
    r_preimage: Buffer.from(i.preimage, 'hex').toString('base64'),
    r_hash: Buffer.from(i.hash, 'hex').toString('base64'),
    value_msat: String(i.request.value_msat),
    settled: i.state === 'SETTLED',
    payment_request: i.paymentRequest,
    add_index: String(i.addIndex),
    settle_index: String(i.settleIndex),
    amt_paid_msat: String(i.amtPaidMsat),
    state: i.state,
    is_keysend: false,
  };
}
