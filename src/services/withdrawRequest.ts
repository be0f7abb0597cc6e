import { randomBytes } from 'node:crypto';
import { hashKey } from '../access/keys.ts';
import { isWalletRole, keyPrefix, roleAllows } from '../access/roles.ts';
import { Errors } from '../errors.ts';
import { nowSeconds } from '../lib/time.ts';
import { type LnurlSite, withdrawProcessUrl } from '../lnurl/site.ts';
import { findWithdrawLink, insertK1 } from '../store/lnurlw.ts';
import { type WalletRow, findWalletByKeyHash } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { publicLinkKey } from './publicLinkKey.ts';

/** Long enough for a person to scan and confirm in a wallet app; a stale k1 is refused. */
export const K1_TTL_SECONDS = 3600;
export const DEFAULT_WITHDRAW_DESCRIPTION = 'LNPAY Wallet Withdraw';

/**
 * The wallet behind lnurl-process (no API key): the path key must allow
 * wallet_withdraw, and a permanent link (no ott) also wallet_public_withdraw (waklw_ only).
 */
export async function resolveWithdrawWallet(ctx: ServiceContext, key: string, oneTime: boolean): Promise<WalletRow> {
  const found = await findWalletByKeyHash(ctx.db, hashKey(key));
  if (!found || !isWalletRole(found.role)) throw Errors.walletNotFound(key);
  for (const permission of oneTime ? (['wallet_withdraw'] as const) : (['wallet_withdraw', 'wallet_public_withdraw'] as const)) {
    if (!roleAllows(found.role, permission)) throw Errors.missingPermission(keyPrefix(key), permission);
  }
  return found;
}

export interface WithdrawRequestInput {
  key: string;
  ott: string | undefined;
  numSatoshis: number | undefined;
  memo: string | undefined;
  passThru: Record<string, unknown>;
}

/**
 * The first request of LUD-03: the withdraw parameters and a fresh k1. What a
 * payout may take is fixed now, on the k1: a one-time link's stored amount,
 * memo and passThru, or the permanent link's query.
 */
export async function withdrawRequest(ctx: ServiceContext, site: LnurlSite, wallet: WalletRow, input: WithdrawRequestInput) {
  let { numSatoshis, memo, passThru } = input;
  if (input.ott) {
    const link = await findWithdrawLink(ctx.db, input.ott);
    if (!link || link.wallet_id !== wallet.id || link.used_at !== null) {
      throw Errors.lnurlLinkSpent(withdrawProcessUrl(site, input.key, { tag: 'withdraw', ott: input.ott }));
    }
    numSatoshis = link.num_satoshis ?? undefined;
    memo = link.memo ?? undefined;
    passThru = link.pass_thru ?? {};
  }
  const balanceMsat = Math.floor(wallet.balance_msat / 1000) * 1000;
  const limitMsat = numSatoshis !== undefined && numSatoshis > 0 ? numSatoshis * 1000 : undefined;
  const maxMsat = limitMsat !== undefined && limitMsat <= balanceMsat ? limitMsat : balanceMsat;
  const k1 = randomBytes(32).toString('hex');
  const now = nowSeconds();
  await insertK1(ctx.db, {
    k1,
    wallet_id: wallet.id,
    ott: input.ott ?? null,
    max_msat: limitMsat ?? null,
    memo: memo ?? null,
    pass_thru: passThru,
    created_at: now,
    expires_at: now + K1_TTL_SECONDS,
  });
  return {
    callback: withdrawProcessUrl(site, input.key, { ott: input.ott }),
    k1,
    maxWithdrawable: maxMsat,
    defaultDescription: memo || DEFAULT_WITHDRAW_DESCRIPTION,
    minWithdrawable: maxMsat,
    tag: 'withdrawRequest' as const,
    ...(input.ott
      ? {}
      : { balanceCheck: withdrawProcessUrl(site, await publicLinkKey(ctx.db, wallet.id, 'lnurlWithdraw'), { tag: 'withdraw' }) }),
  };
}
