import { ApiError, Errors } from '../errors.ts';
import { nowSeconds } from '../lib/time.ts';
import { claimK1, releaseK1 } from '../store/lnurlw.ts';
import type { WalletRow } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { decodeForPayment, payInvoice } from './payInvoice.ts';

export interface WithdrawPayoutInput {
  k1: string;
  ott: string | undefined;
  paymentRequest: string;
}

const CLAIM_ERRORS = { unknown: Errors.lnurlK1Unknown, used: Errors.lnurlK1Used, expired: Errors.lnurlK1Expired };

/**
 * The LUD-03 callback: pays the wallet app's invoice once. The k1 (and a
 * one-time link's ott) is spent in the database before paying, so of two
 * concurrent callbacks only one pays; a payment that fails gives it back.
 */
export async function withdrawPayout(ctx: ServiceContext, wallet: WalletRow, input: WithdrawPayoutInput): Promise<void> {
  const invoice = await decodeForPayment(ctx, input.paymentRequest);
  const claim = await ctx.db.transaction((tx) =>
    claimK1(tx, { k1: input.k1, walletId: wallet.id, ott: input.ott ?? null, now: nowSeconds() }),
  );
  if (typeof claim === 'string') throw CLAIM_ERRORS[claim]();
  try {
    const amountMsat = invoice.amountMsat ?? 0;
    if (claim.max_msat !== null && amountMsat > claim.max_msat) {
      throw Errors.lnurlWithdrawRange(Math.ceil(amountMsat / 1000), Math.floor(claim.max_msat / 1000));
    }
    await payInvoice(ctx, {
      wallet,
      paymentRequest: input.paymentRequest,
      feeLimitMsat: undefined,
      passThru: { ...claim.pass_thru, k1: input.k1, ...(input.ott ? { ott: input.ott } : {}) },
      idempotency: undefined,
      method: 'lnurl',
    });
  } catch (err) {
    // Only a decided refusal (400: nothing paid) gives the k1 back; in flight or unknown, it stays spent.
    if (err instanceof ApiError && err.status === 400) await releaseK1(ctx.db, input.k1, input.ott ?? null);
    throw err;
  }
}
