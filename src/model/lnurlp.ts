import { encodeLnurl } from '../lnurl/encoding.ts';
import { type LnurlSite, payLinkUrl } from '../lnurl/site.ts';
import type { LnurlpRow } from '../store/lnurlp.ts';

/** WalletLnurlpay as LNPay shows it (§2.5); the address appears as lnurlp_identifier. */
export function lnurlpJson(link: LnurlpRow, payKey: string, site: LnurlSite) {
  const decoded = payLinkUrl(site, payKey, link.id);
  return {
    id: link.id,
    created_at: link.created_at,
    updated_at: link.updated_at,
    wallet_id: link.wallet_id,
    user_label: link.user_label,
    lnurl_encoded: encodeLnurl(decoded),
    lnurl_decoded: decoded,
    lnurlp_minSendable_msat: link.min_sendable_msat,
    lnurlp_maxSendable_msat: link.max_sendable_msat,
    lnurlp_short_desc: link.short_desc,
    lnurlp_commentAllowed: link.comment_allowed,
    lnurlp_identifier: link.identifier,
    statusType:
      link.status === 'active'
        ? { type: 'lnurl', name: 'lnurl_active', display_name: 'LNURL Active' }
        : { type: 'lnurl', name: 'lnurl_inactive', display_name: 'LNURL Inactive' },
    custyDomain: null,
  };
}

export type LnurlpJson = ReturnType<typeof lnurlpJson>;

/** The Lightning Address of a link on this deployment, when it has one. */
export function linkAddress(link: LnurlpRow, site: LnurlSite): string | null {
  return link.identifier ? `${link.identifier}@${site.domain}` : null;
}
