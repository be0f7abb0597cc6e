import { Errors } from '../errors.ts';
import { newId } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import type { LnurlSite } from '../lnurl/site.ts';
import { type LnurlpJson, lnurlpJson } from '../model/lnurlp.ts';
import type { Queryable } from '../store/db.ts';
import { IdentifierTakenError, type LnurlpFields, type LnurlpRow, findLnurlp, insertLnurlp } from '../store/lnurlp.ts';
import type { WalletRow } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { publicLinkKey } from './publicLinkKey.ts';

/** lnpayd has no receive limit unless configured; a link then accepts up to 1 BTC per payment. */
const UNLIMITED_MAX_SENDABLE_MSAT = 100_000_000_000;
export const DEFAULT_SHORT_DESC = 'LNURL PAY';

export function defaultMaxSendableMsat(ctx: ServiceContext): number {
  const max = ctx.limits.maxReceiveSats;
  return max === undefined ? UNLIMITED_MAX_SENDABLE_MSAT : max * 1000;
}

export interface LnurlpInput {
  userLabel?: string | undefined;
  minSendableMsat?: number | undefined;
  maxSendableMsat?: number | undefined;
  shortDesc?: string | undefined;
  commentAllowed?: number | undefined;
  /** Lightning Address user part; null removes it. */
  identifier?: string | null | undefined;
}

/** The link's fields with the input applied over `base` (LNPay's defaults for a new link). */
export function mergeLnurlpFields(base: LnurlpFields, input: LnurlpInput): LnurlpFields {
  return {
    user_label: input.userLabel ?? base.user_label,
    min_sendable_msat: input.minSendableMsat ?? base.min_sendable_msat,
    max_sendable_msat: input.maxSendableMsat ?? base.max_sendable_msat,
    short_desc: input.shortDesc ?? base.short_desc,
    comment_allowed: input.commentAllowed ?? base.comment_allowed,
    identifier: input.identifier === undefined ? base.identifier : input.identifier?.toLowerCase() ?? null,
  };
}

/** Inserts a link in the caller's transaction (wallet creation makes the default one this way). */
export async function insertLink(q: Queryable, walletId: string, id: string, fields: LnurlpFields, now: number): Promise<LnurlpRow> {
  try {
    return await insertLnurlp(q, { ...fields, id, wallet_id: walletId, now });
  } catch (err) {
    if (err instanceof IdentifierTakenError) throw Errors.lnurlpIdentifierTaken(err.identifier);
    throw err;
  }
}

export async function presentLink(q: Queryable, link: LnurlpRow, site: LnurlSite): Promise<LnurlpJson> {
  return lnurlpJson(link, await publicLinkKey(q, link.wallet_id, 'lnurlPay'), site);
}

/** POST /v1/wallet/:key/lnurlp — a new LNURL-pay link (and Lightning Address, with an identifier). */
export async function createLnurlp(ctx: ServiceContext, site: LnurlSite, wallet: WalletRow, input: LnurlpInput): Promise<LnurlpJson> {
  const fields = mergeLnurlpFields(
    {
      user_label: null,
      min_sendable_msat: 1000,
      max_sendable_msat: defaultMaxSendableMsat(ctx),
      short_desc: DEFAULT_SHORT_DESC,
      comment_allowed: 0,
      identifier: null,
    },
    input,
  );
  return ctx.db.transaction(async (tx) => {
    const link = await insertLink(tx, wallet.id, newId('lnurlp_', 18), fields, nowSeconds());
    return presentLink(tx, link, site);
  });
}

export async function getLnurlp(ctx: ServiceContext, site: LnurlSite, id: string): Promise<LnurlpJson> {
  const link = await findLnurlp(ctx.db, id);
  if (!link) throw Errors.unknownLnurlpay();
  return presentLink(ctx.db, link, site);
}
