import { PAYMENT_NOT_FOUND, type PaymentResult } from '../backend.ts';
import { LndError, type LndRest, hexToPathBase64 } from './rest.ts';

type Json = Record<string, unknown>;

/** gRPC code of LND's "payment isn't initiated". */
const NOT_FOUND = 5;

/** An lnrpc.Payment (or its absence) as lnpayd's outcome; undefined while it is still in flight. */
function paymentOutcome(payment: Json): PaymentResult | undefined {
  switch (payment.status) {
    case 'SUCCEEDED':
      return { status: 'succeeded', preimage: String(payment.payment_preimage), feeMsat: Number(payment.fee_msat ?? 0) };
    case 'FAILED':
      return { status: 'failed', reason: String(payment.failure_reason ?? 'FAILURE_REASON_ERROR') };
    default:
      return undefined;
  }
}

/**
 * Follows a router payment stream until it decides or `timeoutSeconds` pass
 * (then the payment is reported in flight; recovery asks again later).
 */
async function followPayment(
  rest: LndRest,
  method: string,
  path: string,
  body: unknown,
  timeoutSeconds: number,
): Promise<PaymentResult> {
  let outcome: PaymentResult | undefined;
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  await rest.stream(method, path, body, signal, (payment) => {
    outcome = paymentOutcome(payment);
    return outcome !== undefined;
  });
  return outcome ?? { status: 'in_flight' };
}

/** The node's word on a payment: its final state, in flight, or failed when LND never saw it. */
export async function trackPayment(rest: LndRest, paymentHash: string, waitSeconds = 2): Promise<PaymentResult> {
  try {
    return await followPayment(rest, 'GET', `/v2/router/track/${hexToPathBase64(paymentHash)}?no_inflight_updates=true`, undefined, waitSeconds);
  } catch (err) {
    // Only LND's own "payment isn't initiated": a gateway 404 (router RPC missing) proves nothing.
    if (err instanceof LndError && err.grpcCode === NOT_FOUND && /isn't initiated/.test(err.message)) {
      return { status: 'failed', reason: PAYMENT_NOT_FOUND };
    }
    throw err;
  }
}

/**
 * SendPaymentV2. When LND refuses (bad invoice, already paid, …) its payment
 * record decides: none means nothing left the node (failed, with LND's
 * reason); otherwise its state is the answer. A broken connection rejects:
 * the caller cannot know and keeps the payment pending.
 */
export async function sendPayment(rest: LndRest, paymentHash: string, body: Json, timeoutSeconds: number): Promise<PaymentResult> {
  try {
    return await followPayment(
      rest,
      'POST',
      '/v2/router/send',
      { ...body, timeout_seconds: timeoutSeconds, no_inflight_updates: true },
      // LND's timeout bounds path finding; a slow HTLC may take longer, so the wait is ours.
      timeoutSeconds + 1,
    );
  } catch (err) {
    if (!(err instanceof LndError) || err.permissionDenied) throw err;
    const tracked = await trackPayment(rest, paymentHash);
    if (tracked.status === 'failed' && tracked.reason === PAYMENT_NOT_FOUND) return { status: 'failed', reason: err.message };
    return tracked;
  }
}
