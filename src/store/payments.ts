import type { Queryable } from './db.ts';

export interface PaymentRow {
  id: string;
  payment_hash: string;
  wallet_id: string;
  kind: 'invoice' | 'keysend';
  status: 'pending' | 'succeeded' | 'failed';
  payment_request: string;
  dest_pubkey: string;
  memo: string | null;
  description_hash: string | null;
  amount_msat: number;
  fee_limit_msat: number;
  fee_msat: number | null;
  preimage: string | null;
  custom_records: Record<string, string> | null;
  pass_thru: Record<string, unknown> | null;
  failure_reason: string | null;
  lntx_id: string | null;
  idempotency_key: string | null;
  response_status: number | null;
  response: unknown;
  created_at: number;
  updated_at: number;
}

export class PaymentInFlightError extends Error {}

const COLUMNS = `id, payment_hash, wallet_id, kind, status, payment_request, dest_pubkey, memo, description_hash,
  amount_msat, fee_limit_msat, fee_msat, preimage, custom_records, pass_thru, failure_reason, lntx_id, idempotency_key,
  response_status, response, created_at, updated_at`;

export type NewPayment = Pick<
  PaymentRow,
  | 'id' | 'payment_hash' | 'wallet_id' | 'kind' | 'payment_request' | 'dest_pubkey' | 'memo' | 'description_hash'
  | 'amount_msat' | 'fee_limit_msat' | 'custom_records' | 'pass_thru' | 'idempotency_key' | 'created_at'
> & { node_pubkey: string };

/** Inserts a pending payment; a live payment of the same hash makes this throw PaymentInFlightError. */
export async function insertPendingPayment(q: Queryable, p: NewPayment): Promise<PaymentRow> {
  const [row] = await q.query<PaymentRow>(
    `insert into payments (id, payment_hash, wallet_id, kind, status, payment_request, dest_pubkey, memo,
       description_hash, amount_msat, fee_limit_msat, custom_records, pass_thru, idempotency_key, created_at, updated_at,
       node_pubkey)
     values ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14, $14, $15)
     on conflict (payment_hash) where status <> 'failed' do nothing
     returning ${COLUMNS}`,
    [
      p.id, p.payment_hash, p.wallet_id, p.kind, p.payment_request, p.dest_pubkey, p.memo, p.description_hash,
      p.amount_msat, p.fee_limit_msat, p.custom_records, p.pass_thru, p.idempotency_key, p.created_at, p.node_pubkey,
    ],
  );
  if (!row) throw new PaymentInFlightError(p.payment_hash);
  return row;
}

/** Moves a pending payment to its outcome; undefined if it was no longer pending (already resolved). */
export async function resolvePayment(
  q: Queryable,
  r: {
    id: string;
    status: 'succeeded' | 'failed';
    feeMsat: number | null;
    preimage: string | null;
    failureReason: string | null;
    now: number;
  },
): Promise<PaymentRow | undefined> {
  const [row] = await q.query<PaymentRow>(
    `update payments set status = $2, fee_msat = $3, preimage = $4, failure_reason = $5, updated_at = $6
      where id = $1 and status = 'pending' returning ${COLUMNS}`,
    [r.id, r.status, r.feeMsat, r.preimage, r.failureReason, r.now],
  );
  return row;
}

export async function findPayment(q: Queryable, id: string): Promise<PaymentRow | undefined> {
  const [row] = await q.query<PaymentRow>(`select ${COLUMNS} from payments where id = $1`, [id]);
  return row;
}

/** Pending payments sent by the node nodePubkey (or before payments recorded their node), oldest first. */
export async function listPendingPayments(q: Queryable, nodePubkey: string, limit: number): Promise<PaymentRow[]> {
  return q.query<PaymentRow>(
    `select ${COLUMNS} from payments
      where status = 'pending' and (node_pubkey = $1 or node_pubkey is null) order by created_at limit $2`,
    [nodePubkey, limit],
  );
}

export async function recordPaymentResponse(
  q: Queryable,
  r: { id: string; lntxId: string | null; status: number; response: unknown },
): Promise<void> {
  await q.query('update payments set lntx_id = $2, response_status = $3, response = $4::jsonb where id = $1', [
    r.id,
    r.lntxId,
    r.status,
    r.response,
  ]);
}
