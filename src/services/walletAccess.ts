import { hashKey } from '../access/keys.ts';
import { type Permission, isWalletRole, keyPrefix, roleAllows } from '../access/roles.ts';
import { Errors } from '../errors.ts';
import type { ApiRole } from '../store/apiKeys.ts';
import { findWallet, findWalletByKeyHash, type WalletRow } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';

/** Wallet ids (wal_, deterministic walx_, legacy w_) as opposed to access keys. */
function isWalletId(value: string): boolean {
  return /^(wal_|walx_|w_)/.test(value);
}

/**
 * Resolves the `:wallet_key` of a path for a caller, applying LNPay's rules:
 * the secret key may name any wallet by id or key and skips permission checks;
 * the public key needs a wallet access key whose role grants `permission`.
 */
export async function resolveWallet(
  ctx: ServiceContext,
  caller: ApiRole,
  pathValue: string,
  permission: Permission,
): Promise<WalletRow> {
  if (caller === 'sak') {
    const wallet = isWalletId(pathValue)
      ? await findWallet(ctx.db, pathValue)
      : await findWalletByKeyHash(ctx.db, hashKey(pathValue));
    if (!wallet) throw Errors.walletNotFound(pathValue);
    return wallet;
  }
  if (isWalletId(pathValue)) throw Errors.pakNeedsWalletKey();
  const found = await findWalletByKeyHash(ctx.db, hashKey(pathValue));
  if (!found || !isWalletRole(found.role)) throw Errors.pakNeedsWalletKey();
  if (!roleAllows(found.role, permission)) throw Errors.missingPermission(keyPrefix(pathValue), permission);
  return found;
}
