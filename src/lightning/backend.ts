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
    holdSeconds: number;
    fails: boolean;
  }): Promise<CreatedInvoice & { payee: string }>;
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
  readonly sandbox?: SandboxControls;
  close(): Promise<void>;
}

export class LightningError extends Error {}
