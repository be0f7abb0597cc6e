import { Errors } from '../errors.ts';
import { findWallet } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';

/** LNPay's refusal quotes the wallet's balance in sats at the time of the refusal. */
export async function invoiceTooLarge(ctx: ServiceContext, walletId: string) {
  const wallet = await findWallet(ctx.db, walletId);
  return Errors.invoiceTooLarge(Math.floor((wallet?.balance_msat ?? 0) / 1000));
}
