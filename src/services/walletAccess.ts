import { hashKey } from '../access/keys.ts';
import { type Permission, isWalletRole, keyPrefix, roleAllows } from '../access/roles.ts';
import { Errors } from '../errors.ts';
import { TtlCache } from '../lib/ttlCache.ts';
import type { ApiRole } from '../store/apiKeys.ts';
import { findWallet, findWalletByKeyHash, type WalletRow } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';

/** Wallet ids (wal_, deterministic walx_, legacy w_) as opposed to access keys. */
function isWalletId(value: string): boolean {
  return /^(wal_|walx_|w_)/.test(value);
}

/** What a write needs of its wallet: the id (balances are read and changed by the ledger itself). */
export type WalletRef = Pick<WalletRow, 'id'>;

/** How long a resolved wallet key or id is trusted without asking the database again (as for API keys). */
const WALLET_ACCESS_TTL_MS = 10_000;

/**
 * Which wallet a key opens with which role, and which wallet ids exist.
 * Neither changes once written (keys are never reassigned, wallets never
 * deleted); the TTL still bounds how long a change made elsewhere could go
 * unseen, should keys ever become revocable.
 */
export class WalletAccessCache {
  /** Key hash, or wallet id for the secret key → the wallet and the key's role (null: named by id). */
  private readonly entries = new TtlCache<string, { walletId: string; role: string | null }>(WALLET_ACCESS_TTL_MS);

  get(lookup: string) {
    return this.entries.get(lookup);
  }

  set(lookup: string, walletId: string, role: string | null): void {
    this.entries.set(lookup, { walletId, role });
  }
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
  const { wallet, role } = await lookUp(ctx, caller, pathValue);
  allow(caller, pathValue, wallet && role, permission);
  if (!wallet) throw Errors.walletNotFound(pathValue);
  ctx.walletAccess.set(lookupKey(pathValue), wallet.id, role);
  return wallet;
}

/** resolveWallet for writes: the same checks, answered from the cache when it knows the key. */
export async function resolveWalletRef(
  ctx: ServiceContext,
  caller: ApiRole,
  pathValue: string,
  permission: Permission,
): Promise<WalletRef> {
  const known = ctx.walletAccess.get(lookupKey(pathValue));
  if (!known) return resolveWallet(ctx, caller, pathValue, permission);
  if (known.role === null && caller !== 'sak') throw Errors.pakNeedsWalletKey();
  allow(caller, pathValue, known.role, permission);
  return { id: known.walletId };
}

function lookupKey(pathValue: string): string {
  return isWalletId(pathValue) ? pathValue : hashKey(pathValue);
}

async function lookUp(
  ctx: ServiceContext,
  caller: ApiRole,
  pathValue: string,
): Promise<{ wallet: WalletRow | undefined; role: string | null }> {
  if (!isWalletId(pathValue)) {
    const found = await findWalletByKeyHash(ctx.db, hashKey(pathValue));
    return { wallet: found, role: found?.role ?? null };
  }
  if (caller !== 'sak') throw Errors.pakNeedsWalletKey();
  return { wallet: await findWallet(ctx.db, pathValue), role: null };
}

/** The public key needs a wallet key whose role grants the permission; the secret key needs nothing more. */
function allow(caller: ApiRole, pathValue: string, role: string | null | undefined, permission: Permission): void {
  if (caller === 'sak') return;
  if (!role || !isWalletRole(role)) throw Errors.pakNeedsWalletKey();
  if (!roleAllows(role, permission)) throw Errors.missingPermission(keyPrefix(pathValue), permission);
}
