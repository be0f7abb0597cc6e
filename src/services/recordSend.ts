import { newId } from '../lib/random.ts';
import { wtxJson, type WtxJson } from '../model/present.ts';
import { WTX_TYPES, type WtxTypeName } from '../model/wtxTypes.ts';
import type { Queryable } from '../store/db.ts';
import { type LntxRow, type NewLntx, insertLntx } from '../store/lntx.ts';
import { type NewWtx, insertWtx } from '../store/transactions.ts';
import { type WalletRow, findWallet } from '../store/wallets.ts';
import { type EventToRecord, recordEvents } from './recordEvent.ts';

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
  /** The wallet as the ledger entry left it, when the entry touched it (saves a read). */
  wallet?: WalletRow | undefined;
}

export interface SendRows {
  lntx: LntxRow;
  wtx: WtxJson;
  wallet: WalletRow;
  /** wallet_send, and network_fee_incurred when a fee was charged. */
  events: EventToRecord[];
}

/**
 * The paying wallet's side of a successful send: its LnTx, the withdrawal
 * wallet transaction, a network fee row when a fee was charged, and their
 * events — written in the caller's transaction.
 */
export async function recordSend(q: Queryable, r: SendRecord): Promise<SendRows> {
  const rows = await writeSendRows(q, r);
  await recordEvents(q, rows.events, r.now);
  return rows;
}

/**
 * recordSend without the events, for a caller that records them together with
 * its own. The rows go out together: the driver pipelines them in one round trip.
 */
export async function writeSendRows(q: Queryable, r: SendRecord): Promise<SendRows> {
  const lntxId = newId('lntx_', 24);
  const mainId = newId('wtx_', 24);
  const row = async (w: Omit<NewWtx, 'wallet_id' | 'created_at' | 'entry_id'>): Promise<NewWtx> => {
    const wtx = { ...w, wallet_id: r.walletId, created_at: r.now, entry_id: r.entryId };
    await insertWtx(q, wtx);
    return wtx;
  };
  const [wallet, lntx, main, fee] = await Promise.all([
    r.wallet ?? findWallet(q, r.walletId),
    insertLntx(q, { ...r.lntx, id: lntxId, wallet_id: r.walletId, direction: 'out', created_at: r.now }),
    row({
      id: mainId,
      num_satoshis: -Math.ceil(r.amountMsat / 1000),
      type_id: WTX_TYPES[r.wtxType].id,
      user_label: r.userLabel,
      lntx_id: lntxId,
      pass_thru: r.passThru,
      balance_after_msat: r.balanceAfterMsat + r.feeChargedMsat,
    }),
    r.feeChargedMsat > 0
      ? row({
          id: newId('wtx_', 24),
          num_satoshis: -r.feeChargedMsat / 1000,
          type_id: WTX_TYPES.network_fee.id,
          user_label: 'Network fee',
          lntx_id: null,
          pass_thru: { source_transaction: mainId, fee_target_wallet: 'contained' },
          balance_after_msat: r.balanceAfterMsat,
        })
      : undefined,
  ]);
  if (!wallet) throw new Error(`wallet ${r.walletId} vanished`);
  const wtx = wtxJson({ wtx: main, wallet, lntx });
  const events: EventToRecord[] = [{ name: 'wallet_send', data: { wtx } }];
  if (fee) events.push({ name: 'network_fee_incurred', data: { wtx: wtxJson({ wtx: fee, wallet, lntx: null }) } });
  return { lntx, wtx, wallet, events };
}
