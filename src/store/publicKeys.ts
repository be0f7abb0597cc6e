import type { Queryable } from './db.ts';

export type PublicLinkRole = 'lnurlWithdraw' | 'lnurlPay';

/** The readable key of a public-link role (waklw_/waklp_), newest first; undefined for wallets from before LNURL. */
export async function findPublicKey(q: Queryable, walletId: string, role: PublicLinkRole): Promise<string | undefined> {
  const [row] = await q.query<{ key_plain: string }>(
    `select key_plain from wallet_keys where wallet_id = $1 and role = $2 and key_plain is not null
      order by created_at desc, key_plain limit 1`,
    [walletId, role],
  );
  return row?.key_plain;
}
