import { checkLedger } from '../ledger/invariants.ts';
import { PAYMENT_NOT_FOUND } from '../lightning/backend.ts';
import { nowSeconds } from '../lib/time.ts';
import { listPendingPayments } from '../store/payments.ts';
import type { ServiceContext } from './context.ts';
import { RECOVERY_GRACE_SECONDS } from './recoverPayments.ts';

export interface InvariantReport {
  ok: boolean;
  problems: string[];
  /** Unix seconds. */
  checkedAt: number;
  /** Pending payments past the recovery grace that the node was asked about. */
  pendingChecked: number;
  /** What the wallets are owed: the sum of their balances. */
  liabilitiesMsat: number;
  /** What the node could pay out; undefined on the embedded backend, which holds no real funds. */
  spendableMsat: number | undefined;
}

/** More than recovery handles in a few rounds: past this, the check samples the oldest. */
const PENDING_LIMIT = 1000;

/**
 * The ledger's own invariants, plus what only the node can confirm: every
 * abandoned pending payment is one the node knows, and (on LND) the node
 * can pay out what the wallets hold.
 */
export async function checkInvariants(ctx: ServiceContext): Promise<InvariantReport> {
  const { problems } = await checkLedger(ctx.db);
  const cutoff = nowSeconds() - RECOVERY_GRACE_SECONDS;
  // Younger ones may belong to a live request that has not reached the node yet.
  const pending = (await listPendingPayments(ctx.db, ctx.nodePubkey, PENDING_LIMIT)).filter((p) => p.created_at <= cutoff);
  for (const payment of pending) {
    const status = await ctx.lightning.paymentStatus(payment.payment_hash);
    if (status.status === 'failed' && status.reason === PAYMENT_NOT_FOUND) {
      problems.push(`pending payment ${payment.id} (hash ${payment.payment_hash}) is unknown to the ${ctx.lightning.kind} node`);
    }
  }
  const [sum] = await ctx.db.query<{ total: number }>('select coalesce(sum(balance_msat), 0)::int8 as total from wallets');
  const liabilitiesMsat = sum?.total ?? 0;
  const spendableMsat = ctx.lightning.spendableBalanceMsat ? await ctx.lightning.spendableBalanceMsat() : undefined;
  if (spendableMsat !== undefined && liabilitiesMsat > spendableMsat) {
    problems.push(`wallet liabilities ${liabilitiesMsat} msat exceed the node's spendable balance ${spendableMsat} msat`);
  }
  return {
    ok: problems.length === 0,
    problems,
    checkedAt: nowSeconds(),
    pendingChecked: pending.length,
    liabilitiesMsat,
    spendableMsat,
  };
}
