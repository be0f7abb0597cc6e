import { Errors } from '../errors.ts';
import { InsufficientBalanceError, UnknownAccountError, post } from '../ledger/ledger.ts';
import { newId } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import { wtxJson } from '../model/present.ts';
import { WTX_TYPES } from '../model/wtxTypes.ts';
import { type NewWtx, insertWtx } from '../store/transactions.ts';
import type { WalletRef } from './walletAccess.ts';
import type { ServiceContext } from './context.ts';
import { type IdempotencyClaim, answerIdempotently, claimOrReplay } from './idempotency.ts';
import { recordEvents } from './recordEvent.ts';

export interface TransferInput {
  wallet: WalletRef;
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
  if (input.destWalletId === input.wallet.id) throw Errors.sameWalletTransfer();
  const amountMsat = input.numSatoshis * 1000;
  const passThru = {
    ...input.passThru,
    lnPayParams: input.lnPayParams ?? null,
    source_wallet_id: input.wallet.id,
    dest_wallet_id: input.destWalletId,
  };
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      if (input.idempotency) await claimOrReplay(tx, input.wallet.id, input.idempotency, now);
      // The entry also tells whether the destination exists: no separate lookup.
      const entry = await post(tx, 'transfer', [
        { account: input.wallet.id, amountMsat: -amountMsat },
        { account: input.destWalletId, amountMsat },
      ], now);
      const row = (walletId: string, type: 'ln_transfer_out' | 'ln_transfer_in', sign: number) => {
        const wallet = entry.wallets.get(walletId);
        if (!wallet) throw new UnknownAccountError(walletId);
        const wtx: NewWtx = {
          id: newId('wtx_', 24),
          wallet_id: wallet.id,
          created_at: now,
          num_satoshis: sign * input.numSatoshis,
          type_id: WTX_TYPES[type].id,
          user_label: input.memo,
          lntx_id: null,
          pass_thru: passThru,
          entry_id: entry.entryId,
          balance_after_msat: wallet.balance_msat,
        };
        return { wtx, json: wtxJson({ wtx, wallet, lntx: null }) };
      };
      const out = row(input.wallet.id, 'ln_transfer_out', -1);
      const into = row(input.destWalletId, 'ln_transfer_in', 1);
      const response = { wtx_transfer_in: into.json, wtx_transfer_out: out.json };
      // Rows, events and the stored answer go out with the COMMIT: one round trip.
      tx.commitWith(
        insertWtx(tx, out.wtx, into.wtx),
        recordEvents(tx, [
          { name: 'wallet_transfer_out', data: { wtx: out.json } },
          { name: 'wallet_transfer_in', data: { wtx: into.json } },
        ], now),
        answerIdempotently(tx, input.wallet.id, input.idempotency?.key, 201, response),
      );
      return response;
    });
  } catch (err) {
    if (err instanceof InsufficientBalanceError) throw Errors.insufficientForTransfer();
    if (err instanceof UnknownAccountError) throw Errors.invalidDestWallet();
    throw err;
  }
}
