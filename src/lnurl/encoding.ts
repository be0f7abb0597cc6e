import { bech32 } from '@scure/base';

/** A link or address that is not a valid LNURL (LUD-01/16/17). */
export class LnurlError extends Error {
  override readonly name = 'LnurlError';
}

/** LUD-01: bech32 of the URL's bytes, prefix `lnurl`, upper case, with no 90-character length limit. */
export function encodeLnurl(url: string): string {
  return bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), false).toUpperCase();
}

function isLocalOrOnion(host: string): boolean {
  return host.endsWith('.onion') || host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** LUD-01: https only, except onion services (and loopback, where a developer runs both ends). */
export function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LnurlError('not a URL');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLocalOrOnion(url.hostname))) return url.toString();
  throw new LnurlError(`${url.protocol} URLs are not LNURLs`);
}

/**
 * The URL behind an LNURL in any of its spellings: bech32 `LNURL1…` (LUD-01),
 * `lnurlp://`/`lnurlw://` (LUD-17), each optionally behind `lightning:`.
 */
export function decodeLnurl(input: string): string {
  const text = input.trim().replace(/^lightning:/i, '');
  const scheme = /^(lnurl[cwpa]):\/\/(.+)$/i.exec(text);
  if (scheme) {
    const rest = scheme[2] ?? '';
    const host = new URL(`http://${rest}`).hostname;
    return checkedUrl(`${isLocalOrOnion(host) ? 'http' : 'https'}://${rest}`);
  }
  if (!/^lnurl1/i.test(text)) throw new LnurlError('not an LNURL');
  let bytes: Uint8Array;
  try {
    const decoded = bech32.decode(text.toLowerCase() as `${string}1${string}`, false);
    if (decoded.prefix !== 'lnurl') throw new LnurlError('wrong bech32 prefix');
    bytes = bech32.fromWords(decoded.words);
  } catch (err) {
    throw err instanceof LnurlError ? err : new LnurlError(`Invalid bech32: ${(err as Error).message}`);
  }
  return checkedUrl(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

export interface LightningAddress {
  username: string;
  /** host[:port] */
  domain: string;
  /** Where its payRequest lives (LUD-16). */
  url: string;
}

/** LUD-16: `<username>@<domain>`, username of a-z 0-9 - _ . (case kept: `lnurlp_<id>` names are case-sensitive). */
export function parseLightningAddress(input: string): LightningAddress {
  const match = /^([a-z0-9._-]+)@([a-z0-9.-]+(?::\d{1,5})?)$/i.exec(input.trim());
  if (!match?.[1] || !match[2]) throw new LnurlError('not a lightning address');
  const username = match[1];
  const domain = match[2].toLowerCase();
  const hostname = domain.replace(/:\d+$/, '');
  const scheme = isLocalOrOnion(hostname) ? 'http' : 'https';
  return { username, domain, url: checkedUrl(`${scheme}://${domain}/.well-known/lnurlp/${username}`) };
}
