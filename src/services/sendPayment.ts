import { Errors, errorBody } from '../errors.ts';
import { FEES, INFLIGHT, InsufficientBalanceError, NODE, post } from '../ledger/ledger.ts';
import type { PaymentResult } from '../lightning/backend.ts';
import { newId } from '../lib/random.ts';
import { observe } from '../metrics/observedDb.ts';
import { nowSeconds } from '../lib/time.ts';
import { type WtxJson, walletJson } from '../model/present.ts';
import { sendWtxType } from '../model/wtxTypes.ts';
import {
  type PaymentRow,
  PaymentInFlightError,
  findPayment,
  insertPendingPayment,
  recordPaymentResponse,
  resolvePayment,
} from '../store/payments.ts';
import type { WalletRef } from './walletAccess.ts';
import { invoiceTooLarge } from './balanceError.ts';
import type { ServiceContext } from './context.ts';
import { type IdempotencyClaim, answerIdempotently, claimOrReplay } from './idempotency.ts';
import { recordEvent } from './recordEvent.ts';
import { recordSend } from './recordSend.ts';

/** Sends store this expiry, as LNPay did. */
const SEND_EXPIRY_SECONDS = 432000;

export interface OutgoingPayment {
  wallet: WalletRef;
  kind: 'invoice' | 'keysend';
  paymentHash: string;
  paymentRequest: string;
  destPubkey: string;
  memo: string | null;
  descriptionHash: string | null;
  amountMsat: number;
  feeLimitMsat: number;
  customRecords: Record<string, string> | null;
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
}

/** The reserve is whole sats, so the fee charged (rounded up to sats) never exceeds it. */
export function feeReserveMsat(feeLimitMsat: number): number {
  return Math.ceil(feeLimitMsat / 1000) * 1000;
}

function failureMessage(kind: PaymentRow['kind'], reason: string): string {
  return (kind === 'keysend' ? Errors.keysendFailed(reason) : Errors.payFailed(reason)).message;
}

/**
 * Pays through the node: amount + fee reserve move to the in-flight account
 * with the payment persisted as pending (one transaction), then the node is
 * asked, then the outcome settles or refunds (another). An unknown outcome
 * leaves the payment pending for recovery, which asks the node again.
 */
export async function sendThroughNode(
  ctx: ServiceContext,
  p: OutgoingPayment,
  execute: (payment: PaymentRow) => Promise<PaymentResult>,
): Promise<WtxJson> {
  const now = nowSeconds();
  const held = p.amountMsat + feeReserveMsat(p.feeLimitMsat);
  // Beyond 2^53 msat no balance can cover it, and the ledger would refuse the sum as inexact.
  if (!Number.isSafeInteger(held)) throw await invoiceTooLarge(ctx, p.wallet.id);
  let payment: PaymentRow;
  try {
    payment = await ctx.db.transaction(async (tx) => {
      if (p.idempotency) await claimOrReplay(tx, p.wallet.id, p.idempotency, now);
      const row = await insertPendingPayment(tx, {
        id: newId('pay_', 24),
        payment_hash: p.paymentHash,
        wallet_id: p.wallet.id,
        kind: p.kind,
        payment_request: p.paymentRequest,
        dest_pubkey: p.destPubkey,
        memo: p.memo,
        description_hash: p.descriptionHash,
        amount_msat: p.amountMsat,
        fee_limit_msat: p.feeLimitMsat,
        custom_records: p.customRecords,
        pass_thru: p.passThru,
        idempotency_key: p.idempotency?.key ?? null,
        created_at: now,
        node_pubkey: ctx.nodePubkey,
      });
      await post(tx, 'payment_reserve', [
        { account: p.wallet.id, amountMsat: -held },
        { account: INFLIGHT, amountMsat: held },
      ], now);
      return row;
    });
  } catch (err) {
    if (err instanceof InsufficientBalanceError) throw await invoiceTooLarge(ctx, p.wallet.id);
    if (err instanceof PaymentInFlightError) throw Errors.payFailed('invoice is already paid or being paid');
    throw err;
  }
  let result: PaymentResult;
  try {
    result = await execute(payment);
  } catch {
    // The node did not answer: the payment may or may not be out. Recovery will ask.
    result = { status: 'in_flight' };
  }
  if (result.status === 'in_flight') throw Errors.paymentPending();
  return answer(await applyOutcome(ctx, payment.id, result));
}

/** The decided answer of a payment: its wallet transaction, or the failure in LNPay's error shape. */
export function answer(payment: PaymentRow): WtxJson {
  if (payment.status === 'pending' || payment.response_status === null) throw Errors.paymentPending();
  if (payment.response_status >= 300) throw Errors.replay(payment.response_status, payment.response);
  return payment.response as WtxJson;
}

/**
 * Settles or refunds a pending payment once, whoever gets there first (the
 * request, start-up recovery or the timer): the status update is the guard.
 */
export async function applyOutcome(
  ctx: ServiceContext,
  paymentId: string,
  result: Exclude<PaymentResult, { status: 'in_flight' }>,
): Promise<PaymentRow> {
  return ctx.db.transaction(async (tx) => {
    const now = nowSeconds();
    const row = await resolvePayment(tx, {
      id: paymentId,
      status: result.status,
      feeMsat: result.status === 'succeeded' ? result.feeMsat : null,
      preimage: result.status === 'succeeded' ? result.preimage : null,
      failureReason: result.status === 'failed' ? result.reason : null,
      now,
    });
    if (!row) {
      const decided = await findPayment(tx, paymentId);
      if (!decided) throw new Error(`payment ${paymentId} vanished`);
      return decided;
    }
    const reserve = feeReserveMsat(row.fee_limit_msat);
    const held = row.amount_msat + reserve;
    let status: number;
    let response: unknown;
    let lntxId: string | null = null;
    if (result.status === 'succeeded') {
      const feeMsat = Math.min(result.feeMsat, row.fee_limit_msat);
      const feeChargedMsat = Math.ceil(feeMsat / 1000) * 1000;
      observe(tx, (m) => m.paymentDecided('outgoing_succeeded', feeMsat));
      const entry = await post(tx, 'payment_settle', [
        { account: INFLIGHT, amountMsat: -held },
        { account: row.wallet_id, amountMsat: reserve - feeChargedMsat },
        { account: NODE, amountMsat: row.amount_msat + feeMsat },
        { account: FEES, amountMsat: feeChargedMsat - feeMsat },
      ], now);
      const keysend = row.kind === 'keysend';
      const sats = Math.ceil(row.amount_msat / 1000);
      const sent = await recordSend(tx, {
        walletId: row.wallet_id,
        entryId: entry.entryId,
        balanceAfterMsat: entry.balances.get(row.wallet_id) ?? 0,
        wallet: entry.wallets.get(row.wallet_id),
        amountMsat: row.amount_msat,
        feeChargedMsat,
        userLabel: row.memo,
        passThru: row.pass_thru ?? {},
        wtxType: sendWtxType(row.pass_thru),
        now,
        lntx: {
          ln_node_id: ctx.nodeId,
          dest_pubkey: row.dest_pubkey,
          payment_request: row.payment_request,
          payment_hash: row.payment_hash,
          memo: row.memo,
          description_hash: row.description_hash,
          payment_addr: null,
          num_satoshis: sats,
          amount_msat: row.amount_msat,
          fee_msat: feeMsat,
          expiry: SEND_EXPIRY_SECONDS,
          expires_at: keysend ? null : now + SEND_EXPIRY_SECONDS,
          payment_preimage: result.preimage,
          settled: 1,
          settled_at: now,
          is_keysend: keysend ? 1 : null,
          is_amp: null,
          custom_records: row.custom_records,
          pass_thru: row.pass_thru,
        },
      });
      lntxId = sent.lntx.id;
      status = 201;
      response = sent.wtx;
    } else {
      observe(tx, (m) => m.paymentDecided('outgoing_failed', 0));
      const refund = await post(tx, 'payment_refund', [
        { account: INFLIGHT, amountMsat: -held },
        { account: row.wallet_id, amountMsat: held },
      ], now);
      const wallet = refund.wallets.get(row.wallet_id);
      await recordEvent(tx, 'wallet_send_failure', {
        spontaneous: row.kind === 'keysend' ? 1 : 0,
        wal: wallet ? walletJson(wallet) : null,
        node_request_parameters:
          row.kind === 'keysend'
            ? { dest_pubkey: row.dest_pubkey, amt_msat: row.amount_msat, custom_records: row.custom_records, fee_limit_msat: row.fee_limit_msat }
            : { payment_request: row.payment_request, fee_limit_msat: row.fee_limit_msat },
        failureReason: failureMessage(row.kind, result.reason),
        passThru: row.pass_thru,
      }, now);
      status = 400;
      response = errorBody(400, failureMessage(row.kind, result.reason));
    }
    await recordPaymentResponse(tx, { id: row.id, lntxId, status, response });
    await answerIdempotently(tx, row.wallet_id, row.idempotency_key, status, response);
    return { ...row, lntx_id: lntxId, response_status: status, response };
  });
}

