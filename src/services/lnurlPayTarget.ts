import { Errors } from '../errors.ts';
import { LnurlError, decodeLnurl, parseLightningAddress } from '../lnurl/encoding.ts';
import { fetchLnurlJson } from '../lnurl/fetchJson.ts';
import { type PayRequest, parsePayRequest } from '../lnurl/payRequest.ts';
import { type LnurlSite, ownPath } from '../lnurl/site.ts';
import type { LnurlpRow } from '../store/lnurlp.ts';
import type { ServiceContext } from './context.ts';
import { findPayLinkByKey, findPayLinkByUsername, payRequestFor } from './servePayLink.ts';

export type PayTargetInput = { lnurl: string } | { address: string };

/** A payRequest to pay: one of our own links (settled internally), or a remote service's. */
export type PayTarget = { request: PayRequest; local: LnurlpRow | undefined };

/**
 * Resolves an LNURL-pay link or Lightning Address to its payRequest (LUD-06/16).
 * Our own domain is answered from the database, never by an HTTP call to ourselves.
 */
export async function resolvePayTarget(ctx: ServiceContext, site: LnurlSite, input: PayTargetInput): Promise<PayTarget> {
  let url: string;
  let local: LnurlpRow | undefined;
  try {
    if ('address' in input) {
      const address = parseLightningAddress(input.address);
      url = address.url;
      if (address.domain === site.domain) local = await findPayLinkByUsername(ctx, address.username);
    } else {
      url = decodeLnurl(input.lnurl);
      const path = ownPath(site, url);
      const match = path ? /^\/v1\/wallet\/(\w+)\/lnurlp\/(\w+)$/.exec(path) : null;
      if (match?.[1] && match[2]) local = await findPayLinkByKey(ctx, match[1], match[2]).catch(() => undefined);
    }
  } catch (err) {
    if (err instanceof LnurlError) throw 'address' in input ? Errors.lnAddressInvalid() : Errors.lnurlInvalid();
    throw err;
  }
  if (local) return { request: await payRequestFor(ctx, site, local), local };
  if (ownPath(site, url) !== undefined) throw Errors.lnurlInvalid();
  try {
    return { request: parsePayRequest(await fetchLnurlJson(url)), local: undefined };
  } catch (err) {
    if (err instanceof LnurlError) throw Errors.lnurlInvalid();
    throw err;
  }
}
