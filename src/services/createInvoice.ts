import { Errors } from '../errors.ts';
import { toHex } from '../lib/hex.ts';
import { newId } from '../lib/random.ts';
import { observe } from '../metrics/observedDb.ts';
import { lntxWithPassThruJson } from '../model/present.ts';
import { insertLntxBatched } from '../store/lntx.ts';
import type { WalletRef } from './walletAccess.ts';
import type { ServiceContext } from './context.ts';

export interface CreateInvoiceInput {
  wallet: WalletRef;
  numSatoshis: number;
  memo: string | null;
  /** When set, the invoice commits to this hash and carries no description. */
  descriptionHash: Uint8Array | null;
  expirySeconds: number;
  passThru: Record<string, unknown>;
  /** 'lnurlpay': an LNURL-pay invoice, credited as ln_lnurl_pay_inbound. */
  kind?: 'invoice' | 'lnurlpay';
}

/** Issues a BOLT11 invoice crediting the wallet once paid; nothing moves until then. */
export async function createInvoice(ctx: ServiceContext, input: CreateInvoiceInput) {
  const max = ctx.limits.maxReceiveSats;
  if (max !== undefined && input.numSatoshis > max) throw Errors.receiveLimit(max);
  const invoice = await ctx.lightning.createInvoice({
    amountMsat: input.numSatoshis * 1000,
    expirySeconds: input.expirySeconds,
    ...(input.descriptionHash ? { descriptionHash: input.descriptionHash } : { description: input.memo ?? '' }),
  });
  const row = await insertLntxBatched(ctx.db, {
    id: newId('lntx_', 24),
    created_at: invoice.createdAt,
    wallet_id: input.wallet.id,
    ln_node_id: ctx.nodeId,
    direction: 'in',
    dest_pubkey: ctx.nodePubkey,
    payment_request: invoice.paymentRequest,
    payment_hash: invoice.paymentHash,
    memo: input.memo,
    description_hash: input.descriptionHash ? toHex(input.descriptionHash) : null,
    payment_addr: null,
    num_satoshis: input.numSatoshis,
    amount_msat: input.numSatoshis * 1000,
    expiry: input.expirySeconds,
    expires_at: invoice.expiresAt,
    // Stored now, shown only once settled: internal payments settle with it on any backend.
    payment_preimage: invoice.preimage,
    is_keysend: null,
    is_amp: null,
    custom_records: null,
    // Server keys win: a caller's wallet_id must never redirect the credit.
    pass_thru: { ...input.passThru, wallet_id: input.wallet.id },
    kind: input.kind ?? 'invoice',
  });
  observe(ctx.db, (m) => m.invoiceCreated());
  return lntxWithPassThruJson(row);
}
