import { generateKey, hashKey } from '../access/keys.ts';
import { WALLET_ROLES } from '../access/roles.ts';
import { nowSeconds } from '../lib/time.ts';
import type { Queryable } from '../store/db.ts';
import { type PublicLinkRole, findPublicKey } from '../store/publicKeys.ts';
import { insertWalletKeys } from '../store/wallets.ts';

/**
 * The wallet's readable waklw_/waklp_ key, for embedding in LNURLs. Wallets
 * created before LNURL support kept only the hash of theirs, so they get a new
 * key of that role here (the old one keeps working).
 */
export async function publicLinkKey(q: Queryable, walletId: string, role: PublicLinkRole): Promise<string> {
  const existing = await findPublicKey(q, walletId, role);
  if (existing) return existing;
  const { prefix, length } = WALLET_ROLES[role];
  const key = generateKey(prefix, length);
  await insertWalletKeys(q, walletId, [{ hash: hashKey(key), role, plain: key }], nowSeconds());
  return key;
}
