import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { createSigner, decodeInvoice, encodeInvoice, type Signer } from '../../bolt11/index.ts';
import { fromHex, toHex } from '../../lib/hex.ts';
import { nowSeconds } from '../../lib/time.ts';
import {
  type CreateInvoiceRequest,
  type CreatedInvoice,
  type IncomingPayment,
  type KeysendRequest,
  type LightningBackend,
  LightningError,
  PAYMENT_NOT_FOUND,
  type PayInvoiceRequest,
  type PaymentResult,
  type SandboxControls,
} from '../backend.ts';
import { Journal } from './journal.ts';

const NETWORK = 'bcrt';
const MIN_FINAL_CLTV_EXPIRY = 80;
/** The one channel to the sandbox's outside node: block 1000, tx 1, output 0. */
const SIMULATED_CHANNEL_ID = String((1000n << 40n) | (1n << 16n));
const SIMULATED_CHANNEL_CAPACITY_SAT = 100_000_000;

/** The simulated network charges 1 msat plus 0.1% to reach the outside node. */
export function simulatedFeeMsat(amountMsat: number): number {
  return 1 + Math.floor(amountMsat / 1000);
}

/** One simulated identity: a key, a signer, and preimages derived from both. */
class SimulatedIdentity {
  readonly pubkey: string;
  constructor(
    private readonly key: Uint8Array,
    readonly signer: Signer,
  ) {
    this.pubkey = toHex(signer.publicKey);
  }

  static fromKey(key: Uint8Array): SimulatedIdentity {
    return new SimulatedIdentity(key, createSigner(key));
  }

  preimageFor(paymentSecret: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.key).update('lnpayd-preimage').update(paymentSecret).digest());
  }

  createInvoice(req: CreateInvoiceRequest): CreatedInvoice {
    const paymentSecret = new Uint8Array(randomBytes(32));
    const preimage = this.preimageFor(paymentSecret);
    const paymentHash = sha256(preimage);
    const createdAt = nowSeconds();
    const paymentRequest = encodeInvoice(
      {
        network: NETWORK,
        amountMsat: req.amountMsat,
        timestamp: createdAt,
        paymentHash,
        paymentSecret,
        expirySeconds: req.expirySeconds,
        minFinalCltvExpiry: MIN_FINAL_CLTV_EXPIRY,
        ...(req.descriptionHash ? { descriptionHash: req.descriptionHash } : { description: req.description ?? '' }),
      },
      this.signer,
    );
    return {
      paymentRequest,
      paymentHash: toHex(paymentHash),
      paymentSecret: toHex(paymentSecret),
      preimage: toHex(preimage),
      createdAt,
      expiresAt: createdAt + req.expirySeconds,
    };
  }

  /** The preimage of one of this identity's invoices, or undefined if it is not ours. */
  claim(paymentRequest: string): { preimage: string; amountMsat: number; paymentHash: string; expiresAt: number } | undefined {
    const invoice = decodeInvoice(paymentRequest);
    if (invoice.payeePubkey !== this.pubkey || !invoice.paymentSecret) return undefined;
    const preimage = this.preimageFor(fromHex(invoice.paymentSecret));
    if (toHex(sha256(preimage)) !== invoice.paymentHash) return undefined;
    return {
      preimage: toHex(preimage),
      amountMsat: invoice.amountMsat ?? 0,
      paymentHash: invoice.paymentHash,
      expiresAt: invoice.expiresAt,
    };
  }
}

/**
 * A simulated Lightning node with a real identity: its key lives in DATA_DIR,
 * and its invoices are signed BOLT11 that any decoder accepts. Beside it lives
 * one simulated outside node (key derived from ours) that our wallets can pay;
 * every other destination is unreachable. What the node sent is journaled, so
 * payment status survives a crash as it would on a real node.
 */
export class EmbeddedNode implements LightningBackend {
  readonly kind = 'embedded' as const;
  readonly sandbox = {
    receiveFromOutside: (pr: string, now: number) => this.receiveFromOutside(pr, now),
    createOutsideInvoice: async (req: Parameters<SandboxControls['createOutsideInvoice']>[0]) => {
      const invoice = this.outside.createInvoice({
        amountMsat: req.amountMsat,
        ...(req.descriptionHash ? { descriptionHash: req.descriptionHash } : { description: req.memo }),
        expirySeconds: 3600,
      });
      if (req.holdSeconds > 0 || req.fails) {
        this.journal.append({ type: 'hold', paymentHash: invoice.paymentHash, seconds: req.holdSeconds, fails: req.fails });
      }
      return { ...invoice, payee: this.outside.pubkey };
    },
  };

  private constructor(
    private readonly self: SimulatedIdentity,
    private readonly outside: SimulatedIdentity,
    private readonly journal: Journal,
  ) {}

  static async open(dataDir: string | undefined): Promise<EmbeddedNode> {
    const key = dataDir ? await loadOrCreateKey(join(dataDir, 'node.key')) : new Uint8Array(randomBytes(32));
    const outsideKey = new Uint8Array(createHmac('sha256', key).update('lnpayd-outside-node').digest());
    const journal = new Journal(dataDir ? join(dataDir, 'embedded-node.journal') : undefined);
    return new EmbeddedNode(SimulatedIdentity.fromKey(key), SimulatedIdentity.fromKey(outsideKey), journal);
  }

  async info() {
    return { pubkey: this.self.pubkey, alias: 'lnpayd-embedded', network: 'regtest' };
  }

  async createInvoice(req: CreateInvoiceRequest): Promise<CreatedInvoice> {
    return this.self.createInvoice(req);
  }

  async decode(paymentRequest: string) {
    return decodeInvoice(paymentRequest);
  }

  async payInvoice(req: PayInvoiceRequest): Promise<PaymentResult> {
    const claim = this.outside.claim(req.paymentRequest);
    if (!claim) return { status: 'failed', reason: 'FAILURE_REASON_NO_ROUTE' };
    if (claim.expiresAt <= nowSeconds()) return { status: 'failed', reason: 'invoice expired' };
    if (claim.amountMsat !== 0 && claim.amountMsat !== req.amountMsat) {
      return { status: 'failed', reason: 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS' };
    }
    return this.send(req.paymentHash, claim.preimage, req.amountMsat, req.feeLimitMsat, req.timeoutSeconds);
  }

  async keysend(req: KeysendRequest): Promise<PaymentResult> {
    if (req.destPubkey !== this.outside.pubkey) return { status: 'failed', reason: 'FAILURE_REASON_NO_ROUTE' };
    return this.send(req.paymentHash, req.preimage, req.amountMsat, req.feeLimitMsat, req.timeoutSeconds);
  }

  async paymentStatus(paymentHash: string): Promise<PaymentResult> {
    const sent = this.journal.sentPayment(paymentHash);
    if (!sent) return { status: 'failed', reason: PAYMENT_NOT_FOUND };
    if (sent.settleAt > Date.now()) return { status: 'in_flight' };
    if (sent.fails) return { status: 'failed', reason: 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS' };
    return { status: 'succeeded', preimage: sent.preimage, feeMsat: sent.feeMsat };
  }

  /** Outside payments arrive through the sandbox, which settles them itself. */
  subscribeSettlements(): () => Promise<void> {
    return async () => {};
  }

  /** The embedded node keeps no open invoices of its own. */
  async cancelInvoice(): Promise<void> {}

  /** The node itself (no hops) and the sandbox's outside node (one simulated channel) are all it can reach. */
  async queryRoutes(req: { destPubkey: string; amountMsat: number }) {
    if (req.destPubkey === this.self.pubkey) {
      const route = { totalTimeLock: MIN_FINAL_CLTV_EXPIRY, totalFeesMsat: 0, totalAmtMsat: req.amountMsat, hops: [] };
      return { routes: [route], successProb: 1 };
    }
    if (req.destPubkey !== this.outside.pubkey) return { routes: [], successProb: 0 };
    const feeMsat = simulatedFeeMsat(req.amountMsat);
    const hop = {
      chanId: SIMULATED_CHANNEL_ID,
      chanCapacitySat: SIMULATED_CHANNEL_CAPACITY_SAT,
      amtToForwardMsat: req.amountMsat,
      feeMsat: 0,
      expiry: MIN_FINAL_CLTV_EXPIRY,
      pubKey: this.outside.pubkey,
    };
    const route = { totalTimeLock: MIN_FINAL_CLTV_EXPIRY + 40, totalFeesMsat: feeMsat, totalAmtMsat: req.amountMsat + feeMsat, hops: [hop] };
    return { routes: [route], successProb: 1 };
  }

  async close() {}

  private async send(
    paymentHash: string,
    preimage: string,
    amountMsat: number,
    feeLimitMsat: number,
    timeoutSeconds: number,
  ): Promise<PaymentResult> {
    const existing = this.journal.sentPayment(paymentHash);
    if (existing) return this.paymentStatus(paymentHash);
    const feeMsat = simulatedFeeMsat(amountMsat);
    if (feeMsat > feeLimitMsat) return { status: 'failed', reason: 'FAILURE_REASON_NO_ROUTE' };
    const hold = this.journal.hold(paymentHash);
    const settleAt = Date.now() + hold.seconds * 1000;
    this.journal.append({ type: 'sent', paymentHash, settleAt, feeMsat, preimage, fails: hold.fails });
    const wait = Math.min(settleAt - Date.now(), timeoutSeconds * 1000);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return this.paymentStatus(paymentHash);
  }

  private receiveFromOutside(paymentRequest: string, now: number): IncomingPayment {
    const claim = this.self.claim(paymentRequest);
    if (!claim) throw new LightningError('invoice is not payable to this node');
    if (claim.expiresAt <= now) throw new LightningError('invoice expired');
    return { paymentHash: claim.paymentHash, preimage: claim.preimage, amountMsat: claim.amountMsat };
  }
}

async function loadOrCreateKey(path: string): Promise<Uint8Array> {
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new LightningError(`${path} does not hold a 32-byte hex node key`);
    return fromHex(hex);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(join(path, '..'), { recursive: true });
  const key = new Uint8Array(randomBytes(32));
  await writeFile(path, toHex(key) + '\n', { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return key;
}
