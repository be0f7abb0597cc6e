import { newId } from '../lib/random.ts';
import { wtxJson, type WtxJson } from '../model/present.ts';
import { WTX_TYPES, type WtxTypeName } from '../model/wtxTypes.ts';
import type { Queryable } from '../store/db.ts';
import { type LntxRow, type NewLntx, insertLntx, lntxRow } from '../store/lntx.ts';
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
  /** The inserts, sent together (the driver pipelines them). */
  written: Promise<unknown>;
}

/**
 * The paying wallet's side of a successful send: its LnTx, the withdrawal
 * wallet transaction, a network fee row when a fee was charged, and their
 * events — written in the caller's transaction, rows and events in one round trip.
 */
export async function recordSend(q: Queryable, r: SendRecord): Promise<SendRows> {
  const wallet = r.wallet ?? (await findWallet(q, r.walletId));
  if (!wallet) throw new Error(`wallet ${r.walletId} vanished`);
  const rows = startSendRows(q, r, wallet);
  await Promise.all([rows.written, recordEvents(q, rows.events, r.now)]);
  return rows;
}

/**
 * Starts recordSend's row inserts and returns the rows and their events
 * without waiting, for a caller that records the events together with its own.
 */
export function startSendRows(q: Queryable, r: SendRecord, wallet: WalletRow): SendRows {
  const records = sendRecords(r, wallet);
  const written = Promise.all([insertLntx(q, records.lntx), insertWtx(q, ...records.rows)]);
  return { ...records, written };
}

/**
 * The rows of a send and their events, not yet written: every row is known
 * before its insert (ids drawn here, defaults applied).
 */
export function sendRecords(r: SendRecord, wallet: WalletRow): Omit<SendRows, 'written'> & { rows: [NewWtx, ...NewWtx[]] } {
  // Fixed fields before the spreads, not after: see lntxRow.
  const lntx = lntxRow({ id: newId('lntx_', 24), wallet_id: r.walletId, direction: 'out', created_at: r.now, ...r.lntx });
  const row = (w: Omit<NewWtx, 'wallet_id' | 'created_at' | 'entry_id'>): NewWtx => ({
    wallet_id: r.walletId,
    created_at: r.now,
    entry_id: r.entryId,
    ...w,
  });
  const main = row({
    id: newId('wtx_', 24),
    num_satoshis: -Math.ceil(r.amountMsat / 1000),
    type_id: WTX_TYPES[r.wtxType].id,
    user_label: r.userLabel,
    lntx_id: lntx.id,
    pass_thru: r.passThru,
    balance_after_msat: r.balanceAfterMsat + r.feeChargedMsat,
  });
  const wtx = wtxJson({ wtx: main, wallet, lntx });
  const rows: [NewWtx, ...NewWtx[]] = [main];
  const events: EventToRecord[] = [{ name: 'wallet_send', data: { wtx } }];
  if (r.feeChargedMsat > 0) {
    const fee = row({
      id: newId('wtx_', 24),
      num_satoshis: -r.feeChargedMsat / 1000,
      type_id: WTX_TYPES.network_fee.id,
      user_label: 'Network fee',
      lntx_id: null,
      pass_thru: { source_transaction: main.id, fee_target_wallet: 'contained' },
      balance_after_msat: r.balanceAfterMsat,
    });
    rows.push(fee);
    events.push({ name: 'network_fee_incurred', data: { wtx: wtxJson({ wtx: fee, wallet, lntx: null }) } });
  }
  return { lntx, wtx, wallet, events, rows };
}
