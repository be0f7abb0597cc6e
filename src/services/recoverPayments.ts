import { nowSeconds } from '../lib/time.ts';
import { listPendingPayments } from '../store/payments.ts';
import type { ServiceContext } from './context.ts';
import { PAYMENT_TIMEOUT_SECONDS } from './payInvoice.ts';
import { applyOutcome } from './sendPayment.ts';

/**
 * A pending payment younger than this may still be in a live request (of this
 * or another process) that has not reached the node yet; asking the node now
 * could refund a payment about to be sent. Older ones were abandoned.
 */
export const RECOVERY_GRACE_SECONDS = PAYMENT_TIMEOUT_SECONDS + 5;

/**
 * Resolves abandoned pending payments by asking the node — never by guessing:
 * succeeded → settled, failed (or never seen by the node) → refunded, still
 * in flight → left for the next round.
 */
export async function recoverPayments(ctx: ServiceContext): Promise<{ resolved: number; inFlight: number }> {
  const cutoff = nowSeconds() - RECOVERY_GRACE_SECONDS;
  const pending = (await listPendingPayments(ctx.db, ctx.nodePubkey, 200)).filter((p) => p.created_at <= cutoff);
  let resolved = 0;
  let inFlight = 0;
  for (const payment of pending) {
    const status = await ctx.lightning.paymentStatus(payment.payment_hash);
    if (status.status === 'in_flight') {
      inFlight++;
      continue;
    }
    await applyOutcome(ctx, payment.id, status);
    resolved++;
  }
  return { resolved, inFlight };
}
