import { newId } from '../lib/random.ts';
import { wtxJson, type WtxJson } from '../model/present.ts';
import { WTX_TYPES, type WtxTypeName } from '../model/wtxTypes.ts';
import type { Queryable } from '../store/db.ts';
import { type LntxRow, type NewLntx, insertLntx } from '../store/lntx.ts';
import { insertWtx } from '../store/transactions.ts';
import { type WalletRow, findWallet } from '../store/wallets.ts';
import { recordEvent } from './recordEvent.ts';

export interface SendRecord {
  walletId: string;
  entryId: number;
  /** Wallet balance after the whole ledger entry (fee included). */
  balanceAfterMsat: number;
  lntx: Omit<NewLntx, 'id' | 'wallet_id' | 'direction' | 'created_at'>;
  amountMsat: number;
  /** Whole-sat network fee charged to the wallet, in msat (0 = no fee row). */
  feeChargedMsat: number;
  userLabel: string | null;
  passThru: Record<string, unknown>;
  wtxType: WtxTypeName;
  now: number;
}

/**
 * The paying wallet's side of a successful send: its LnTx, the withdrawal
 * wallet transaction, a network fee row when a fee was charged, and their
 * events — written in the caller's transaction.
 */
export async function recordSend(q: Queryable, r: SendRecord): Promise<{ lntx: LntxRow; wtx: WtxJson; wallet: WalletRow }> {
  const wallet = await findWallet(q, r.walletId);
  if (!wallet) throw new Error(`wallet ${r.walletId} vanished`);
  const lntx = await insertLntx(q, {
    ...r.lntx,
    id: newId('lntx_', 24),
    wallet_id: r.walletId,
    direction: 'out',
    created_at: r.now,
  });
  const main = await insertWtx(q, {
    id: newId('wtx_', 24),
    wallet_id: r.walletId,
    created_at: r.now,
    num_satoshis: -Math.ceil(r.amountMsat / 1000),
    type_id: WTX_TYPES[r.wtxType].id,
    user_label: r.userLabel,
    lntx_id: lntx.id,
    pass_thru: r.passThru,
    entry_id: r.entryId,
    balance_after_msat: r.balanceAfterMsat + r.feeChargedMsat,
  });
  const wtx = wtxJson({ wtx: main, wallet, lntx });
  await recordEvent(q, 'wallet_send', { wtx }, r.now);
  if (r.feeChargedMsat > 0) {
    const fee = await insertWtx(q, {
      id: newId('wtx_', 24),
      wallet_id: r.walletId,
      created_at: r.now,
      num_satoshis: -r.feeChargedMsat / 1000,
      type_id: WTX_TYPES.network_fee.id,
      user_label: 'Network fee',
      lntx_id: null,
      pass_thru: { source_transaction: main.id, fee_target_wallet: 'contained' },
      entry_id: r.entryId,
      balance_after_msat: r.balanceAfterMsat,
    });
    await recordEvent(q, 'network_fee_incurred', { wtx: wtxJson({ wtx: fee, wallet, lntx: null }) }, r.now);
  }
  return { lntx, wtx, wallet };
}
