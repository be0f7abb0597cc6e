import { toHex } from '../lib/hex.ts';
import { Errors } from '../errors.ts';
import { LnurlError } from '../lnurl/encoding.ts';
import { fetchLnurlJson } from '../lnurl/fetchJson.ts';
import { metadataHash } from '../lnurl/payRequest.ts';
import type { LnurlSite } from '../lnurl/site.ts';
import type { WtxJson } from '../model/present.ts';
import type { WalletRef } from './walletAccess.ts';
import type { ServiceContext } from './context.ts';
import type { IdempotencyClaim } from './idempotency.ts';
import { type PayTarget, type PayTargetInput, resolvePayTarget } from './lnurlPayTarget.ts';
import { decodeForPayment, payInvoice } from './payInvoice.ts';
import { issuePayLinkInvoice } from './servePayLink.ts';

export interface PayLnurlInput {
  wallet: WalletRef;
  target: PayTargetInput;
  amountMsat: number;
  comment: string | undefined;
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
}

/**
 * POST /v1/wallet/:key/lnurlp/pay — probe the link or address, check amount and
 * comment against it, fetch its invoice, check the invoice is the one asked for,
 * then pay it as any invoice (ours settle internally) as ln_lnurl_pay_outbound.
 */
export async function payLnurl(ctx: ServiceContext, site: LnurlSite, input: PayLnurlInput): Promise<WtxJson> {
  const target = await resolvePayTarget(ctx, site, input.target);
  const { request } = target;
  if (input.amountMsat > request.maxSendable) throw Errors.lnurlAboveMax(request.maxSendable);
  if (input.amountMsat < request.minSendable) throw Errors.lnurlBelowMin(request.minSendable);
  const comment = input.comment ?? '';
  if (comment.length > request.commentAllowed) throw Errors.lnurlCommentTooLong(comment.length, request.commentAllowed);
  const pr = await fetchInvoice(ctx, site, target, input.amountMsat, comment);
  const invoice = await decodeForPayment(ctx, pr);
  if (invoice.amountMsat !== input.amountMsat) throw Errors.lnurlAmountMismatch(input.amountMsat, invoice.amountMsat);
  if (invoice.descriptionHash !== toHex(metadataHash(request.metadata))) throw Errors.lnurlHashMismatch();
  return payInvoice(ctx, {
    wallet: input.wallet,
    paymentRequest: pr,
    feeLimitMsat: undefined,
    passThru: {
      ...input.passThru,
      lnurlp_comment: comment || null,
      ...('address' in input.target
        ? { target_ln_address: input.target.address }
        : { target_lnurlp_encoded: input.target.lnurl }),
    },
    idempotency: input.idempotency,
    method: 'lnurlpay',
  });
}

async function fetchInvoice(
  ctx: ServiceContext,
  site: LnurlSite,
  target: PayTarget,
  amountMsat: number,
  comment: string,
): Promise<string> {
  if (target.local) {
    const { pr } = await issuePayLinkInvoice(ctx, site, target.local, { amountMsat, comment: comment || undefined });
    return pr;
  }
  const url = new URL(target.request.callback);
  url.searchParams.set('amount', String(amountMsat));
  if (comment) url.searchParams.set('comment', comment);
  let body: Record<string, unknown>;
  try {
    body = await fetchLnurlJson(url.toString());
  } catch (err) {
    if (err instanceof LnurlError) throw Errors.lnurlNoInvoice(target.request.callback);
    throw err;
  }
  if (typeof body.pr !== 'string' || body.pr === '') throw Errors.lnurlNoInvoice(target.request.callback);
  return body.pr;
}
