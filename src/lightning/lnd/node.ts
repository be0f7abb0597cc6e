import { randomBytes } from 'node:crypto';
import { decodeInvoice } from '../../bolt11/index.ts';
import {
  type CreateInvoiceRequest,
  type CreatedInvoice,
  type KeysendRequest,
  type LightningBackend,
  LightningError,
  type NodeInfo,
  type PayInvoiceRequest,
  type PaymentResult,
  type Route,
  type SettledInvoice,
} from '../backend.ts';
import { sendPayment, trackPayment } from './payments.ts';
import { LndError, LndRest, type LndRestOptions, LndUnreachableError, base64ToHex, hexToBase64, hexToPathBase64 } from './rest.ts';
import { followSettlements } from './settlements.ts';

export interface LndOptions extends LndRestOptions {
  /** The chain lnpayd expects the node on (mainnet, testnet, signet, regtest, simnet). */
  network: string;
}

/** The keysend standard's TLV carrying the preimage. */
const PREIMAGE_TLV = '5482373484';

/** Feature bit 9 (TLV onion), so LND keysends even to a node it has no announcement of. */
const TLV_ONION_REQ = 9;

/** What each permission probe needs; the probes change nothing on the node. */
const PERMISSION_PROBES: { permission: string; method: string; path: string; body?: unknown }[] = [
  { permission: 'invoices:read', method: 'GET', path: '/v1/invoices?num_max_invoices=1' },
  { permission: 'offchain:read', method: 'GET', path: '/v1/payments?max_payments=1' },
  // A random hash is unknown to the node: these fail after the macaroon check, never before it.
  { permission: 'invoices:write', method: 'POST', path: '/v2/invoices/cancel', body: { payment_hash: randomBytes(32).toString('base64') } },
  { permission: 'offchain:write', method: 'DELETE', path: `/v1/payment?payment_hash=${hexToPathBase64(randomBytes(32).toString('hex'))}` },
];

/** A custom record value: the keysend preimage as its bytes, any other value as UTF-8 text. */
function recordBytes(tlv: string, value: string): string {
  return Buffer.from(value, tlv === PREIMAGE_TLV ? 'hex' : 'utf8').toString('base64');
}

/** lnpayd's node is an LND reached through its REST API. */
export class LndNode implements LightningBackend {
  readonly kind = 'lnd' as const;

  private constructor(private readonly rest: LndRest) {}

  /**
   * Connects and checks before lnpayd serves anything: the node answers, is
   * on the expected network, and the macaroon grants what lnpayd uses.
   */
  static async open(options: LndOptions): Promise<LndNode> {
    const node = new LndNode(new LndRest(options));
    let info: NodeInfo;
    try {
      info = await node.info();
    } catch (err) {
      if (err instanceof LndError && err.permissionDenied) throw new LightningError(`LND macaroon lacks info:read: ${err.message}`);
      if (err instanceof LightningError) throw new LightningError(`cannot start with LND: ${err.message}`);
      throw err;
    }
    if (info.network !== options.network) {
      throw new LightningError(`LND node ${info.pubkey} is on ${info.network}, but LND_NETWORK is ${options.network}`);
    }
    await node.checkPermissions();
    return node;
  }

  async info(): Promise<NodeInfo> {
    const res = await this.rest.call<{ identity_pubkey: string; alias: string; chains?: { network: string }[] }>('GET', '/v1/getinfo');
    return { pubkey: res.identity_pubkey, alias: res.alias, network: res.chains?.[0]?.network ?? 'unknown' };
  }

  async createInvoice(req: CreateInvoiceRequest): Promise<CreatedInvoice> {
    const preimage = randomBytes(32);
    const res = await this.rest.call<{ r_hash: string; payment_request: string; payment_addr: string }>('POST', '/v1/invoices', {
      value_msat: String(req.amountMsat),
      expiry: String(req.expirySeconds),
      r_preimage: preimage.toString('base64'),
      ...(req.descriptionHash ? { description_hash: Buffer.from(req.descriptionHash).toString('base64') } : { memo: req.description ?? '' }),
    });
    const invoice = decodeInvoice(res.payment_request);
    return {
      paymentRequest: res.payment_request,
      paymentHash: base64ToHex(res.r_hash),
      paymentSecret: base64ToHex(res.payment_addr),
      preimage: preimage.toString('hex'),
      createdAt: invoice.timestamp,
      expiresAt: invoice.expiresAt,
    };
  }

  /** Decoded here: the same codec for every backend, and no round trip. */
  async decode(paymentRequest: string) {
    return decodeInvoice(paymentRequest);
  }

  payInvoice(req: PayInvoiceRequest): Promise<PaymentResult> {
    return sendPayment(
      this.rest,
      req.paymentHash,
      { payment_request: req.paymentRequest, fee_limit_msat: String(req.feeLimitMsat) },
      req.timeoutSeconds,
    );
  }

  keysend(req: KeysendRequest): Promise<PaymentResult> {
    const records = Object.fromEntries(Object.entries(req.customRecords).map(([tlv, value]) => [tlv, recordBytes(tlv, value)]));
    return sendPayment(
      this.rest,
      req.paymentHash,
      {
        dest: hexToBase64(req.destPubkey),
        amt_msat: String(req.amountMsat),
        payment_hash: hexToBase64(req.paymentHash),
        dest_custom_records: { ...records, [PREIMAGE_TLV]: hexToBase64(req.preimage) },
        dest_features: [TLV_ONION_REQ],
        fee_limit_msat: String(req.feeLimitMsat),
      },
      req.timeoutSeconds,
    );
  }

  paymentStatus(paymentHash: string): Promise<PaymentResult> {
    return trackPayment(this.rest, paymentHash);
  }

  /** QueryRoutes; LND answering that it finds no path is "no routes", not an error. */
  async queryRoutes(req: { destPubkey: string; amountMsat: number }): Promise<{ routes: Route[]; successProb: number }> {
    type LndHop = { chan_id: string; chan_capacity: string; amt_to_forward_msat: string; fee_msat: string; expiry: number; pub_key: string };
    type LndRoute = { total_time_lock: number; total_fees_msat: string; total_amt_msat: string; hops?: LndHop[] };
    let res: { routes?: LndRoute[]; success_prob?: number };
    try {
      res = await this.rest.call('GET', `/v1/graph/routes/${req.destPubkey}/0?amt_msat=${req.amountMsat}`);
    } catch (err) {
      if (err instanceof LndError && !err.permissionDenied) return { routes: [], successProb: 0 };
      throw err;
    }
    const routes = (res.routes ?? []).map((r) => ({
      totalTimeLock: r.total_time_lock,
      totalFeesMsat: Number(r.total_fees_msat),
      totalAmtMsat: Number(r.total_amt_msat),
      hops: (r.hops ?? []).map((h) => ({
        chanId: h.chan_id,
        chanCapacitySat: Number(h.chan_capacity),
        amtToForwardMsat: Number(h.amt_to_forward_msat),
        feeMsat: Number(h.fee_msat),
        expiry: h.expiry,
        pubKey: h.pub_key,
      })),
    }));
    return { routes, successProb: res.success_prob ?? 0 };
  }

  subscribeSettlements(
    fromSettleIndex: number,
    onSettle: (invoice: SettledInvoice) => Promise<void>,
    onError: (err: unknown) => void,
  ): () => Promise<void> {
    return followSettlements(this.rest, fromSettleIndex, onSettle, onError);
  }

  async spendableBalanceMsat(): Promise<number> {
    const res = await this.rest.call<{ local_balance?: { msat?: string } }>('GET', '/v1/balance/channels');
    return Number(res.local_balance?.msat ?? 0);
  }

  async cancelInvoice(paymentHash: string): Promise<void> {
    await this.rest.call('POST', '/v2/invoices/cancel', { payment_hash: hexToBase64(paymentHash) });
  }

  async close() {}

  private async checkPermissions(): Promise<void> {
    const missing: string[] = [];
    for (const probe of PERMISSION_PROBES) {
      try {
        await this.rest.call(probe.method, probe.path, probe.body);
      } catch (err) {
        if (err instanceof LndUnreachableError) throw new LightningError(`cannot start with LND: ${err.message}`);
        if (err instanceof LndError && err.permissionDenied) missing.push(probe.permission);
      }
    }
    if (missing.length > 0) {
      throw new LightningError(`LND macaroon lacks ${missing.join(', ')} (lnpayd needs info:read, invoices:read/write, offchain:read/write)`);
    }
  }
}
