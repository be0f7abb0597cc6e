import type { Queryable } from './db.ts';

/** Payments handed to the node whose outcome is not known yet. */
export async function pendingPaymentTotals(q: Queryable): Promise<{ count: number; amountMsat: number }> {
  const [row] = await q.query<{ count: number; amount_msat: number }>(
    `select count(*)::int8 as count, coalesce(sum(amount_msat), 0)::int8 as amount_msat
       from payments where status = 'pending'`,
  );
  return { count: row?.count ?? 0, amountMsat: row?.amount_msat ?? 0 };
}

export async function pendingDeliveryCount(q: Queryable): Promise<number> {
  const [row] = await q.query<{ count: number }>(
    `select count(*)::int8 as count from webhook_deliveries where status = 'pending'`,
  );
  return row?.count ?? 0;
}
