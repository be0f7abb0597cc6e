import { Errors } from '../errors.ts';
import { InsufficientBalanceError } from '../ledger/ledger.ts';
import type { IncomingPayment } from '../lightning/backend.ts';
import { nowSeconds } from '../lib/time.ts';
import { observe } from '../metrics/observedDb.ts';
import type { WtxJson } from '../model/present.ts';
import { sendWtxType } from '../model/wtxTypes.ts';
import type { Queryable } from '../store/db.ts';
import type { WalletRef } from './walletAccess.ts';
import { invoiceTooLarge } from './balanceError.ts';
import type { ServiceContext } from './context.ts';
import { type IdempotencyClaim, answerIdempotently, claimOrReplay } from './idempotency.ts';
import { recordEvents } from './recordEvent.ts';
import { startSendRows } from './recordSend.ts';
import { creditIncoming, startReceive } from './settleIncoming.ts';

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
 * both wallet transactions and events — one transaction, no fee.
 */
export async function payInternally(ctx: ServiceContext, p: InternalPayment): Promise<WtxJson> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      if (p.idempotency) await claimOrReplay(tx, p.payer.id, p.idempotency, now);
      await p.prepare?.(tx, now);
      const received = await creditIncoming(tx, p.incoming, now, p.payer.id, p.payeeWalletId);
      if (!received) throw Errors.invoiceAlreadyPaid();
      observe(tx, (m) => m.paymentDecided('internal', 0));
      const { amountMsat, paymentHash, preimage } = p.incoming;
      const payer = received.entry.wallets.get(p.payer.id);
      if (!payer) throw new Error(`payer ${p.payer.id} missing from its own entry`);
      // Both sides' rows and all their events (receive first) go out with the COMMIT: one round trip.
      const receive = startReceive(tx, received, p.incoming, now);
      const send = startSendRows(tx, {
        walletId: p.payer.id,
        entryId: received.entry.entryId,
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
      }, payer);
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
