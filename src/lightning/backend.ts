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
  createdAt: number;
  expiresAt: number;
}

export interface IncomingPayment {
  paymentHash: string;
  preimage: string;
  amountMsat: number;
}

/** What the embedded node offers on top of the common interface: money from "outside". */
export interface SandboxControls {
  /** Pays one of this node's own invoices as an outside payer would; returns what the node saw. */
  receiveFromOutside(paymentRequest: string, nowSeconds: number): IncomingPayment;
}

export interface LightningBackend {
  readonly kind: 'embedded' | 'lnd';
  info(): Promise<NodeInfo>;
  createInvoice(req: CreateInvoiceRequest): Promise<CreatedInvoice>;
  decode(paymentRequest: string): Promise<DecodedInvoice>;
  readonly sandbox?: SandboxControls;
  close(): Promise<void>;
}

export class LightningError extends Error {}
