import { Bolt11Error, type DecodedInvoice, parseInvoice } from '../bolt11/index.ts';
import type { WtxJson } from '../model/present.ts';
import { Errors } from '../errors.ts';
import { nowSeconds } from '../lib/time.ts';
import { findIncomingByHash, type LntxRow } from '../store/lntx.ts';
import type { WalletRef } from './walletAccess.ts';
import type { ServiceContext } from './context.ts';
import type { IdempotencyClaim } from './idempotency.ts';
import { payInternally } from './payInternally.ts';
import { sendThroughNode } from './sendPayment.ts';

/** LNPay's default routing-fee cap: 5% of the amount, in whole sats. */
export function defaultFeeLimitMsat(amountMsat: number): number {
  return Math.ceil((Math.ceil(amountMsat / 1000) * 5) / 100) * 1000;
}

/** How long a request waits for the node before reporting the payment in flight. */
export const PAYMENT_TIMEOUT_SECONDS = 10;

export interface PayInvoiceInput {
  wallet: WalletRef;
  paymentRequest: string;
  feeLimitMsat: number | undefined;
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
  /** passThru `method`: how the payment was asked for; 'lnurlpay' also makes it ln_lnurl_pay_outbound. */
  method?: 'api' | 'lnurl' | 'lnurlpay';
}

export async function decodeForPayment(ctx: ServiceContext, paymentRequest: string): Promise<DecodedInvoice> {
  return asDecodeError(() => ctx.lightning.decode(paymentRequest));
}

async function asDecodeError<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof Bolt11Error) throw Errors.invoiceDecode(err.message);
    throw err;
  }
}

/**
 * The invoice, and this node's incoming LnTx with its payment hash if any. A
 * payment request that is, character for character, the one stored when this
 * node signed it is not checked again (bolt11's issuedBy): that check, a
 * public-key recovery, was most of an internal payment's decoding. Any other
 * is verified as decodeInvoice does. The backends decode with the same codec.
 */
async function decodeWithOwn(ctx: ServiceContext, paymentRequest: string): Promise<[DecodedInvoice, LntxRow | undefined]> {
  const parsed = await asDecodeError(() => parseInvoice(paymentRequest));
  const own = await findIncomingByHash(ctx.db, parsed.paymentHash);
  const issued = own?.payment_request === parsed.paymentRequest;
  return [issued ? parsed.issuedBy(own.dest_pubkey) : await asDecodeError(() => parsed.verify()), own];
}

/**
 * Pays a BOLT11 invoice from a wallet. An invoice one of our wallets issued
 * settles internally in one transaction; any other goes through the node.
 */
export async function payInvoice(ctx: ServiceContext, input: PayInvoiceInput): Promise<WtxJson> {
  const [invoice, own] = await decodeWithOwn(ctx, input.paymentRequest);
  const amountMsat = invoice.amountMsat;
  if (!amountMsat) throw Errors.amountlessInvoice();
  const max = ctx.limits.maxSendSats;
  if (max !== undefined && amountMsat > max * 1000) throw Errors.sendLimit(max);
  if (invoice.expiresAt <= nowSeconds()) throw Errors.payFailed('invoice expired');
  const passThru = { ...input.passThru, method: input.method ?? 'api' };
  if (own) return payOwnInvoice(ctx, { ...input, passThru }, invoice, own);
  if (invoice.payeePubkey === ctx.nodePubkey) throw Errors.payFailed('invoice not found on this node');
  const feeLimitMsat = input.feeLimitMsat ?? defaultFeeLimitMsat(amountMsat);
  return sendThroughNode(
    ctx,
    {
      wallet: input.wallet,
      kind: 'invoice',
      paymentHash: invoice.paymentHash,
      paymentRequest: invoice.paymentRequest,
      destPubkey: invoice.payeePubkey,
      memo: invoice.description,
      descriptionHash: invoice.descriptionHash,
      amountMsat,
      feeLimitMsat,
      customRecords: null,
      passThru,
      idempotency: input.idempotency,
    },
    () =>
      ctx.lightning.payInvoice({
        paymentRequest: invoice.paymentRequest,
        paymentHash: invoice.paymentHash,
        amountMsat,
        feeLimitMsat,
        timeoutSeconds: PAYMENT_TIMEOUT_SECONDS,
      }),
  );
}

async function payOwnInvoice(
  ctx: ServiceContext,
  input: PayInvoiceInput,
  invoice: DecodedInvoice,
  payee: LntxRow,
): Promise<WtxJson> {
  if (payee.wallet_id === input.wallet.id) throw Errors.payFailed('cannot pay an invoice of the same wallet');
  if (payee.settled) throw Errors.invoiceAlreadyPaid();
  if (!payee.payment_preimage || payee.amount_msat === null) throw Errors.payFailed('invoice not found on this node');
  const wtx = await payInternally(ctx, {
    payer: input.wallet,
    incoming: { paymentHash: payee.payment_hash, preimage: payee.payment_preimage, amountMsat: payee.amount_msat },
    payeeWalletId: payee.wallet_id,
    send: {
      destPubkey: invoice.payeePubkey,
      paymentRequest: invoice.paymentRequest,
      memo: invoice.description,
      descriptionHash: invoice.descriptionHash,
      expiry: invoice.expirySeconds,
      expiresAt: invoice.expiresAt,
      isKeysend: null,
      customRecords: null,
    },
    passThru: input.passThru,
    idempotency: input.idempotency,
  });
  // The node still offers the invoice: an outside payment to it would reach the node and credit no wallet.
  // Best effort: if the cancel fails, such a payment stays with the node (see README).
  await ctx.lightning.cancelInvoice(payee.payment_hash).catch(() => undefined);
  return wtx;
}
