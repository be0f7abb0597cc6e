import { Errors } from '../errors.ts';
import { InsufficientBalanceError, type PostedEntry, type Refusal, settleInternalMany } from '../ledger/ledger.ts';
import type { IncomingPayment } from '../lightning/backend.ts';
import { nowSeconds } from '../lib/time.ts';
import { TurnBatcher, type Waiting } from '../lib/turnBatcher.ts';
import { observe } from '../metrics/observedDb.ts';
import type { WtxJson } from '../model/present.ts';
import { sendWtxType } from '../model/wtxTypes.ts';
import { type Queryable, refusedByDatabase } from '../store/db.ts';
import { type LntxRow, insertLntxRows } from '../store/lntx.ts';
import { type NewWtx, insertWtx } from '../store/transactions.ts';
import type { WalletRow } from '../store/wallets.ts';
import type { WalletRef } from './walletAccess.ts';
import { invoiceTooLarge } from './balanceError.ts';
import type { ServiceContext } from './context.ts';
import { type IdempotencyClaim, answerIdempotently, claimOrReplay } from './idempotency.ts';
import { type EventToRecord, recordEvents } from './recordEvent.ts';
import { type SendRecord, sendRecords, startSendRows } from './recordSend.ts';
import { creditIncoming, receiveRecords, startReceive } from './settleIncoming.ts';

export interface InternalPayment {
  payer: WalletRef;
  /** The payee's invoice, settled with its own preimage. */
  incoming: IncomingPayment;
  /** The wallet that issued it (lets its settle and the ledger entry go out together). */
  payeeWalletId: string;
  /** How the payer's LnTx describes the payment. */
  send: {
    destPubkey: string;
    paymentRequest: string;
    memo: string | null;
    descriptionHash: string | null;
    expiry: number;
    expiresAt: number | null;
    isKeysend: 1 | null;
    customRecords: Record<string, string> | null;
  };
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
  /** Runs first in the transaction (a keysend creates the payee's LnTx there). */
  prepare?: (tx: Queryable, now: number) => Promise<void>;
}

/**
 * A payment between two wallets of this node, without the node: the payee's
 * invoice settled, the payer debited (the database refuses an overdraft),
 * both wallet transactions and events — one transaction, no fee. Payments
 * without an Idempotency-Key or a preparation step share transactions under
 * load, as transfers do.
 */
export async function payInternally(ctx: ServiceContext, p: InternalPayment): Promise<WtxJson> {
  return p.idempotency || p.prepare ? payAlone(ctx, p) : together.submit(ctx, p);
}

/** As for transfers: up to 64 payments a transaction, two such transactions at a time per process, never sharing a lock. */
const together = new TurnBatcher<ServiceContext, InternalPayment, WtxJson>(
  {
    maxItems: 64,
    maxFlushing: 2,
    claims: (p) => [p.payer.id, p.payeeWalletId, p.incoming.paymentHash],
  },
  payTogether,
);

/**
 * The payments of one batch in one transaction: one statement settles their
 * invoices and posts their entries in order, each refused on its own
 * (settleInternalMany), and their rows and events go out with the COMMIT.
 * A second payment of an invoice in the batch goes after it, alone (it finds
 * the invoice paid, unless the first was refused). If the database refused
 * the transaction, nothing of it was written, and each runs again alone.
 */
async function payTogether(ctx: ServiceContext, batch: Waiting<InternalPayment, WtxJson>[]): Promise<void> {
  const alone = (w: Waiting<InternalPayment, WtxJson>) => payAlone(ctx, w.item).then(w.resolve, w.reject);
  const hashes = new Set<string>();
  const first: typeof batch = [];
  const again: typeof batch = [];
  for (const w of batch) {
    const hash = w.item.incoming.paymentHash;
    (hashes.has(hash) ? again : first).push(w);
    hashes.add(hash);
  }
  await (first.length === 1 && first[0] ? alone(first[0]) : payAllAtOnce(ctx, first, alone));
  await Promise.all(again.map(alone));
}

async function payAllAtOnce(
  ctx: ServiceContext,
  batch: Waiting<InternalPayment, WtxJson>[],
  alone: (w: Waiting<InternalPayment, WtxJson>) => Promise<void>,
): Promise<void> {
  let outcomes: ({ wtx: WtxJson } | { refused: Refusal | 'paid' })[];
  try {
    outcomes = await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      const settled = await settleInternalMany(
        tx,
        batch.map(({ item: p }) => ({
          paymentHash: p.incoming.paymentHash,
          preimage: p.incoming.preimage,
          amountMsat: p.incoming.amountMsat,
          payer: p.payer.id,
          payee: p.payeeWalletId,
        })),
        now,
      );
      const lntxRows: LntxRow[] = [];
      const wtxRows: NewWtx[] = [];
      const events: EventToRecord[] = [];
      const done = settled.map((outcome, i) => {
        if ('refused' in outcome) return outcome;
        const p = batch[i]!.item;
        const receive = receiveRecords({ lntx: outcome.invoice, entry: outcome.entry }, p.incoming, now);
        const send = sendRecords(...sendRecordOf(ctx, p, outcome.entry, now));
        observe(tx, (m) => m.invoiceSettled());
        observe(tx, (m) => m.paymentDecided('internal', 0));
        lntxRows.push(send.lntx);
        wtxRows.push(receive.wtx, ...send.rows);
        events.push(receive.event, ...send.events);
        return { wtx: send.wtx };
      });
      const [firstRow, ...rest] = wtxRows;
      if (firstRow) {
        tx.commitWith(insertLntxRows(tx, lntxRows), insertWtx(tx, firstRow, ...rest), recordEvents(tx, events, now));
      }
      return done;
    });
  } catch (err) {
    if (!refusedByDatabase(err)) throw err;
    await Promise.all(batch.map(alone));
    return;
  }
  await Promise.all(
    outcomes.map(async (outcome, i) => {
      const w = batch[i]!;
      if (!('refused' in outcome)) return w.resolve(outcome.wtx);
      if (outcome.refused === 'unknown') return alone(w);
      w.reject(
        outcome.refused === 'paid'
          ? Errors.invoiceAlreadyPaid()
          : outcome.refused === 'limit'
            ? Errors.balanceLimit()
            : await invoiceTooLarge(ctx, w.item.payer.id),
      );
    }),
  );
}

async function payAlone(ctx: ServiceContext, p: InternalPayment): Promise<WtxJson> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      if (p.idempotency) await claimOrReplay(tx, p.payer.id, p.idempotency, now);
      await p.prepare?.(tx, now);
      const received = await creditIncoming(tx, p.incoming, now, p.payer.id, p.payeeWalletId);
      if (!received) throw Errors.invoiceAlreadyPaid();
      observe(tx, (m) => m.paymentDecided('internal', 0));
      // Both sides' rows and all their events (receive first) go out with the COMMIT: one round trip.
      const receive = startReceive(tx, received, p.incoming, now);
      const send = startSendRows(tx, ...sendRecordOf(ctx, p, received.entry, now));
      tx.commitWith(
        receive.written,
        send.written,
        recordEvents(tx, [receive.event, ...send.events], now),
        answerIdempotently(tx, p.payer.id, p.idempotency?.key, 201, send.wtx),
      );
      return send.wtx;
    });
  } catch (err) {
    if (err instanceof InsufficientBalanceError) throw await invoiceTooLarge(ctx, p.payer.id);
    throw err;
  }
}

/** How the payer's side of a posted internal payment is recorded, and its wallet as the entry left it. */
function sendRecordOf(ctx: ServiceContext, p: InternalPayment, entry: PostedEntry, now: number): [SendRecord, WalletRow] {
  const payer = entry.wallets.get(p.payer.id);
  if (!payer) throw new Error(`payer ${p.payer.id} missing from its own entry`);
  const { amountMsat, paymentHash, preimage } = p.incoming;
  const record: SendRecord = {
    walletId: p.payer.id,
    entryId: entry.entryId,
    balanceAfterMsat: payer.balance_msat,
    amountMsat,
    feeChargedMsat: 0,
    userLabel: p.send.memo,
    passThru: p.passThru,
    wtxType: sendWtxType(p.passThru),
    now,
    lntx: {
      ln_node_id: ctx.nodeId,
      dest_pubkey: p.send.destPubkey,
      payment_request: p.send.paymentRequest,
      payment_hash: paymentHash,
      memo: p.send.memo,
      description_hash: p.send.descriptionHash,
      payment_addr: null,
      num_satoshis: Math.ceil(amountMsat / 1000),
      amount_msat: amountMsat,
      fee_msat: 0,
      expiry: p.send.expiry,
      expires_at: p.send.expiresAt,
      payment_preimage: preimage,
      settled: 1,
      settled_at: now,
      is_keysend: p.send.isKeysend,
      is_amp: null,
      custom_records: p.send.customRecords,
      pass_thru: p.passThru,
    },
  };
  return [record, payer];
}
