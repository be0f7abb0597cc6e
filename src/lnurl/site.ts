/** Where this deployment's LNURLs point: PUBLIC_URL, and its host as the Lightning Address domain. */
export interface LnurlSite {
  publicUrl: string;
  /** host[:port] of PUBLIC_URL, lower case. */
  domain: string;
}

export function lnurlSite(publicUrl: string): LnurlSite {
  return { publicUrl, domain: new URL(publicUrl).host.toLowerCase() };
}

export function payLinkUrl(site: LnurlSite, payKey: string, linkId: string): string {
  return `${site.publicUrl}/v1/wallet/${payKey}/lnurlp/${linkId}`;
}

/** lnurl-process URL with the given query parameters, absent ones omitted. */
export function withdrawProcessUrl(site: LnurlSite, key: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return `${site.publicUrl}/v1/wallet/${key}/lnurl-process${text ? `?${text}` : ''}`;
}

/** The path of a URL on this deployment (below PUBLIC_URL), or undefined for anyone else's. */
export function ownPath(site: LnurlSite, url: string): string | undefined {
  const target = new URL(url);
  const base = new URL(site.publicUrl);
  if (target.host.toLowerCase() !== site.domain) return undefined;
  const prefix = base.pathname.replace(/\/$/, '');
  return target.pathname.startsWith(prefix + '/') ? target.pathname.slice(prefix.length) : undefined;
}
