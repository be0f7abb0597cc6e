import { Errors } from '../errors.ts';
import { InsufficientBalanceError, post } from '../ledger/ledger.ts';
import { newId } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import { wtxJson } from '../model/present.ts';
import { WTX_TYPES } from '../model/wtxTypes.ts';
import { insertWtx } from '../store/transactions.ts';
import { findWallet, type WalletRow } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { type IdempotencyClaim, answerIdempotently, claimOrReplay } from './idempotency.ts';
import { recordEvents } from './recordEvent.ts';

export interface TransferInput {
  wallet: WalletRow;
  destWalletId: string;
  numSatoshis: number;
  memo: string | null;
  lnPayParams: unknown;
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
}

/** Moves sats between two wallets of this node: one ledger entry, two wallet transactions, events out then in. */
export async function transfer(ctx: ServiceContext, input: TransferInput) {
  if (!/^(wal_|walx_|w_)/.test(input.destWalletId)) throw Errors.invalidDestWallet();
  const dest = await findWallet(ctx.db, input.destWalletId);
  if (!dest) throw Errors.invalidDestWallet();
  if (dest.id === input.wallet.id) throw Errors.sameWalletTransfer();
  const amountMsat = input.numSatoshis * 1000;
  const passThru = {
    ...input.passThru,
    lnPayParams: input.lnPayParams ?? null,
    source_wallet_id: input.wallet.id,
    dest_wallet_id: dest.id,
  };
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      if (input.idempotency) await claimOrReplay(tx, input.wallet.id, input.idempotency, now);
      const entry = await post(tx, 'transfer', [
        { account: input.wallet.id, amountMsat: -amountMsat },
        { account: dest.id, amountMsat },
      ], now);
      const row = (wallet: WalletRow, type: 'ln_transfer_out' | 'ln_transfer_in', sign: number) =>
        insertWtx(tx, {
          id: newId('wtx_', 24),
          wallet_id: wallet.id,
          created_at: now,
          num_satoshis: sign * input.numSatoshis,
          type_id: WTX_TYPES[type].id,
          user_label: input.memo,
          lntx_id: null,
          pass_thru: passThru,
          entry_id: entry.entryId,
          balance_after_msat: entry.balances.get(wallet.id) ?? 0,
        }).then((wtx) => wtxJson({ wtx, wallet, lntx: null }));
      const out = await row(input.wallet, 'ln_transfer_out', -1);
      const into = await row(dest, 'ln_transfer_in', 1);
      await recordEvents(tx, [
        { name: 'wallet_transfer_out', data: { wtx: out } },
        { name: 'wallet_transfer_in', data: { wtx: into } },
      ], now);
      const response = { wtx_transfer_in: into, wtx_transfer_out: out };
      await answerIdempotently(tx, input.wallet.id, input.idempotency?.key, 201, response);
      return response;
    });
  } catch (err) {
    if (err instanceof InsufficientBalanceError) throw Errors.insufficientForTransfer();
    throw err;
  }
}
