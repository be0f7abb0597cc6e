import { hashKey } from '../access/keys.ts';
import { Errors } from '../errors.ts';
import { type PayRequest, metadataHash, payMetadata } from '../lnurl/payRequest.ts';
import { type LnurlSite, payLinkUrl } from '../lnurl/site.ts';
import { linkAddress } from '../model/lnurlp.ts';
import { type LnurlpRow, findLnurlp, findLnurlpByIdentifier } from '../store/lnurlp.ts';
import { findWallet, findWalletByKeyHash } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { createInvoice } from './createInvoice.ts';
import { publicLinkKey } from './publicLinkKey.ts';

/** LUD-06 invoices live a day, as LNPay's did. */
const PAY_INVOICE_EXPIRY_SECONDS = 86400;

/** The link behind `<base>/v1/wallet/<key>/lnurlp/<id>`: any key of the link's wallet opens it. */
export async function findPayLinkByKey(ctx: ServiceContext, key: string, linkId: string): Promise<LnurlpRow> {
  const wallet = await findWalletByKeyHash(ctx.db, hashKey(key));
  if (!wallet) throw Errors.walletNotFound(key);
  const link = await findLnurlp(ctx.db, linkId);
  if (!link || link.wallet_id !== wallet.id || link.status !== 'active') throw Errors.lnurlpLinkInactive();
  return link;
}

/** LUD-16 username: a link's identifier, or `lnurlp_<id>` for any link. */
export async function findPayLinkByUsername(ctx: ServiceContext, username: string): Promise<LnurlpRow | undefined> {
  const name = username.toLowerCase();
  const link = name.startsWith('lnurlp_')
    ? await findLnurlp(ctx.db, `lnurlp_${username.slice('lnurlp_'.length)}`)
    : await findLnurlpByIdentifier(ctx.db, name);
  return link?.status === 'active' ? link : undefined;
}

/** The payRequest a wallet app sees first (LUD-06, LUD-12 comments, LUD-16 identifier). */
export async function payRequestFor(ctx: ServiceContext, site: LnurlSite, link: LnurlpRow): Promise<PayRequest> {
  return {
    callback: payLinkUrl(site, await publicLinkKey(ctx.db, link.wallet_id, 'lnurlPay'), link.id),
    maxSendable: link.max_sendable_msat,
    minSendable: link.min_sendable_msat,
    metadata: payMetadata(link.short_desc, linkAddress(link, site)),
    commentAllowed: link.comment_allowed,
    tag: 'payRequest',
  };
}

export interface PayLinkInvoiceRequest {
  amountMsat: number;
  comment: string | undefined;
}

/**
 * The callback: an invoice for exactly `amountMsat` whose description hash is
 * sha256 of the metadata just served; paid, it credits the link's wallet as
 * ln_lnurl_pay_inbound.
 */
export async function issuePayLinkInvoice(
  ctx: ServiceContext,
  site: LnurlSite,
  link: LnurlpRow,
  req: PayLinkInvoiceRequest,
): Promise<{ pr: string; routes: [] }> {
  const sats = Math.ceil(req.amountMsat / 1000);
  if (req.amountMsat < link.min_sendable_msat || req.amountMsat > link.max_sendable_msat) {
    throw Errors.lnurlpAmountRange(sats, Math.ceil(link.min_sendable_msat / 1000), Math.floor(link.max_sendable_msat / 1000));
  }
  if (req.amountMsat % 1000 !== 0) throw Errors.lnurlpWholeSats();
  const comment = req.comment ?? '';
  if (comment.length > link.comment_allowed) throw Errors.lnurlCommentTooLong(comment.length, link.comment_allowed);
  const wallet = await findWallet(ctx.db, link.wallet_id);
  if (!wallet) throw Errors.lnurlpLinkInactive();
  const request = await payRequestFor(ctx, site, link);
  const invoice = await createInvoice(ctx, {
    wallet,
    numSatoshis: sats,
    memo: comment || 'LNURL PAY',
    descriptionHash: metadataHash(request.metadata),
    expirySeconds: PAY_INVOICE_EXPIRY_SECONDS,
    passThru: { wallet_lnurlpay_id: link.id, amount: req.amountMsat, ...(comment ? { comment } : {}) },
    kind: 'lnurlpay',
  });
  return { pr: invoice.payment_request, routes: [] };
}
