import { ApiError, Errors } from '../errors.ts';
import { nowSeconds } from '../lib/time.ts';
import type { LnurlSite } from '../lnurl/site.ts';
import type { LnurlpJson } from '../model/lnurlp.ts';
import { IdentifierTakenError, findLnurlp, updateLnurlp as storeUpdate } from '../store/lnurlp.ts';
import type { ServiceContext } from './context.ts';
import { type LnurlpInput, mergeLnurlpFields, presentLink } from './lnurlpLinks.ts';

/** POST|PUT|PATCH /v1/lnurlp/:id — LNPay answered its validation errors here with 500. */
export async function updateLnurlp(ctx: ServiceContext, site: LnurlSite, id: string, input: LnurlpInput): Promise<LnurlpJson> {
  return ctx.db.transaction(async (tx) => {
    const link = await findLnurlp(tx, id);
    if (!link) throw Errors.unknownLnurlpay();
    try {
      const updated = await storeUpdate(tx, id, { ...mergeLnurlpFields(link, input), now: nowSeconds() });
      if (!updated) throw Errors.unknownLnurlpay();
      return await presentLink(tx, updated, site);
    } catch (err) {
      if (err instanceof IdentifierTakenError) throw new ApiError(500, Errors.lnurlpIdentifierTaken(err.identifier).message);
      throw err;
    }
  });
}
