import { NODE, type PostedEntry, post } from '../ledger/ledger.ts';
import type { IncomingPayment } from '../lightning/backend.ts';
import { newId } from '../lib/random.ts';
import { observe } from '../metrics/observedDb.ts';
import { nowSeconds } from '../lib/time.ts';
import { wtxJson } from '../model/present.ts';
import { WTX_TYPES } from '../model/wtxTypes.ts';
import type { Queryable } from '../store/db.ts';
import { type LntxRow, settleIncoming as markSettled } from '../store/lntx.ts';
import { type NewWtx, insertWtx } from '../store/transactions.ts';
import type { ServiceContext } from './context.ts';
import { type EventToRecord, recordEvents } from './recordEvent.ts';

/**
 * Credits a paid incoming invoice: LnTx settled, node → wallet posting, an
 * ln_deposit wallet transaction and a wallet_receive event, all in one
 * transaction. Returns undefined when the invoice is unknown or already
 * settled, so a settlement reported twice credits once.
 */
export async function settleIncoming(ctx: ServiceContext, payment: IncomingPayment): Promise<LntxRow | undefined> {
  const settled = await ctx.db.transaction((tx) => settleIncomingIn(tx, payment, nowSeconds(), NODE));
  return settled?.lntx;
}

/** An incoming invoice settled and its amount posted, in the caller's transaction. */
export interface Credit {
  lntx: LntxRow;
  entry: PostedEntry;
}

/**
 * The receiving side in the caller's transaction. The money comes from
 * `payer`: the node account for payments from outside, or the paying wallet
 * for an internal payment (then an overdraft aborts the whole transaction).
 */
export async function settleIncomingIn(tx: Queryable, payment: IncomingPayment, now: number, payer: string): Promise<Credit | undefined> {
  const credit = await creditIncoming(tx, payment, now, payer);
  if (!credit) return undefined;
  const receive = startReceive(tx, credit, payment, now);
  await Promise.all([receive.written, recordEvents(tx, [receive.event], now)]);
  return credit;
}

/**
 * Flips the invoice to settled and posts payer → payee; undefined when it was
 * settled already. When the caller knows the payee's wallet, both statements
 * go out together (pipelined); a posting made for an invoice that turns out
 * settled is undone with the transaction the caller then aborts.
 */
export async function creditIncoming(
  tx: Queryable,
  payment: IncomingPayment,
  now: number,
  payer: string,
  payeeWalletId?: string,
): Promise<Credit | undefined> {
  const settling = markSettled(tx, { ...payment, now });
  const postTo = (walletId: string) =>
    post(
      tx,
      payer === NODE ? 'ln_deposit' : 'internal_payment',
      [
        { account: payer, amountMsat: -payment.amountMsat },
        { account: walletId, amountMsat: payment.amountMsat },
      ],
      now,
    );
  const posting = payeeWalletId === undefined ? undefined : postTo(payeeWalletId);
  // Its failure is reported below, or moot when the settle failed first.
  posting?.catch(() => undefined);
  const lntx = await settling;
  if (!lntx) return undefined;
  observe(tx, (m) => m.invoiceSettled());
  if (payeeWalletId !== undefined && lntx.wallet_id !== payeeWalletId) {
    throw new Error(`invoice ${lntx.id} belongs to ${lntx.wallet_id}, not ${payeeWalletId}`);
  }
  return { lntx, entry: await (posting ?? postTo(lntx.wallet_id)) };
}

/**
 * Starts the insert of the payee's ln_deposit (or ln_lnurl_pay_inbound) wallet
 * transaction and returns its wallet_receive event, for the caller to record.
 */
export function startReceive(
  tx: Queryable,
  credit: Credit,
  payment: IncomingPayment,
  now: number,
): { event: EventToRecord; written: Promise<unknown> } {
  const { wtx, event } = receiveRecords(credit, payment, now);
  return { event, written: insertWtx(tx, wtx) };
}

/** The payee's wallet transaction for a credited invoice and its wallet_receive event, not yet written. */
export function receiveRecords({ lntx, entry }: Credit, payment: IncomingPayment, now: number): { wtx: NewWtx; event: EventToRecord } {
  const wallet = entry.wallets.get(lntx.wallet_id);
  if (!wallet) throw new Error(`wallet ${lntx.wallet_id} of ${lntx.id} is missing`);
  const wtx: NewWtx = {
    id: newId('wtx_', 24),
    wallet_id: lntx.wallet_id,
    created_at: now,
    num_satoshis: Math.floor(payment.amountMsat / 1000),
    type_id: WTX_TYPES[lntx.kind === 'lnurlpay' ? 'ln_lnurl_pay_inbound' : 'ln_deposit'].id,
    user_label: lntx.memo,
    lntx_id: lntx.id,
    pass_thru: lntx.pass_thru,
    entry_id: entry.entryId,
    balance_after_msat: wallet.balance_msat,
  };
  return { wtx, event: { name: 'wallet_receive', data: { wtx: wtxJson({ wtx, wallet, lntx }) } } };
}
