import { ApiError, Errors } from '../errors.ts';
import type { LnurlSite } from '../lnurl/site.ts';
import { parseMetadata } from '../lnurl/payRequest.ts';
import type { ServiceContext } from './context.ts';
import { resolvePayTarget } from './lnurlPayTarget.ts';

/** GET /v1/lnurlp/probe/:x — the payRequest behind an LNURL or address, metadata parsed. */
export async function probeLnurl(ctx: ServiceContext, site: LnurlSite, lnurlOrAddress: string) {
  const target = lnurlOrAddress.includes('@') ? { address: lnurlOrAddress } : { lnurl: lnurlOrAddress };
  try {
    const { request } = await resolvePayTarget(ctx, site, target);
    return { ...request, metadata: parseMetadata(request.metadata) };
  } catch (err) {
    // LNPay answered every probe failure with this one message.
    if (err instanceof ApiError) throw Errors.lnurlInvalid();
    throw err;
  }
}
