import type { DecodedInvoice } from '../bolt11/index.ts';

export interface NodeInfo {
  pubkey: string;
  alias: string;
  network: string;
}

export interface CreateInvoiceRequest {
  amountMsat: number;
  /** Exactly one of description / descriptionHash. */
  description?: string;
  descriptionHash?: Uint8Array;
  expirySeconds: number;
}

export interface CreatedInvoice {
  paymentRequest: string;
  paymentHash: string;
  paymentSecret: string;
  /** Kept secret by lnpayd until settled; needed to settle internal payments on any backend. */
  preimage: string;
  createdAt: number;
  expiresAt: number;
}

export interface IncomingPayment {
  paymentHash: string;
  preimage: string;
  amountMsat: number;
}

/** An invoice the node saw paid; settleIndex orders the node's settlements (1, 2, …). */
export interface SettledInvoice extends IncomingPayment {
  settleIndex: number;
}

export interface PayInvoiceRequest {
  paymentRequest: string;
  paymentHash: string;
  amountMsat: number;
  /** Hard cap on routing fees, passed to the node. */
  feeLimitMsat: number;
  /** How long to wait for an outcome; past it the payment is reported in flight. */
  timeoutSeconds: number;
}

export interface KeysendRequest {
  destPubkey: string;
  paymentHash: string;
  preimage: string;
  amountMsat: number;
  feeLimitMsat: number;
  customRecords: Record<string, string>;
  timeoutSeconds: number;
}

export type PaymentResult =
  | { status: 'succeeded'; preimage: string; feeMsat: number }
  | { status: 'failed'; reason: string }
  | { status: 'in_flight' };

/** What the embedded node offers on top of the common interface: a world outside it. */
export interface SandboxControls {
  /** Pays one of this node's own invoices as an outside payer would; returns what the node saw. */
  receiveFromOutside(paymentRequest: string, nowSeconds: number): IncomingPayment;
  /** An invoice of a simulated outside node; a payment to it is held holdSeconds, then settled (or failed). */
  createOutsideInvoice(req: {
    amountMsat: number;
    memo: string;
    /** When set, the invoice commits to this hash instead of carrying the memo (an LNURL-pay service's invoice). */
    descriptionHash?: Uint8Array | undefined;
    holdSeconds: number;
    fails: boolean;
  }): Promise<CreatedInvoice & { payee: string }>;
}

/** One route as LND's QueryRoutes describes it (msat amounts; capacity in sats). */
export interface Route {
  totalTimeLock: number;
  totalFeesMsat: number;
  totalAmtMsat: number;
  hops: { chanId: string; chanCapacitySat: number; amtToForwardMsat: number; feeMsat: number; expiry: number; pubKey: string }[];
}

export interface LightningBackend {
  readonly kind: 'embedded' | 'lnd';
  info(): Promise<NodeInfo>;
  createInvoice(req: CreateInvoiceRequest): Promise<CreatedInvoice>;
  decode(paymentRequest: string): Promise<DecodedInvoice>;
  payInvoice(req: PayInvoiceRequest): Promise<PaymentResult>;
  keysend(req: KeysendRequest): Promise<PaymentResult>;
  /** The node's word on a payment it was asked to make; 'failed' if it never saw it. */
  paymentStatus(paymentHash: string): Promise<PaymentResult>;
  /**
   * Hands every invoice settled after `fromSettleIndex` (including those
   * settled while lnpayd was down) to `onSettle`, in order, possibly twice,
   * never skipped; keeps following until the returned stop function is called.
   */
  subscribeSettlements(
    fromSettleIndex: number,
    onSettle: (invoice: SettledInvoice) => Promise<void>,
    onError: (err: unknown) => void,
  ): () => Promise<void>;
  /**
   * What the node could pay out now (LND: its channels' local balance); absent
   * on backends without real funds. The invariant check compares it with what
   * the wallets are owed.
   */
  spendableBalanceMsat?(): Promise<number>;
  /** Closes one of our open invoices on the node (it was settled without it); best effort. */
  cancelInvoice(paymentHash: string): Promise<void>;
  readonly sandbox?: SandboxControls;
  /** Routes the node knows to a destination (empty when none); absent on backends that cannot tell. */
  queryRoutes?(req: { destPubkey: string; amountMsat: number }): Promise<{ routes: Route[]; successProb: number }>;
  close(): Promise<void>;
}

export class LightningError extends Error {}

/** paymentStatus's failure reason when the node never saw the payment. */
export const PAYMENT_NOT_FOUND = 'payment not found on the node';
