import type { Queryable } from './db.ts';
import { type Sort, sqlOrder } from './sort.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_name: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  next_attempt_ms: number;
  delivered_at: number | null;
}

export interface AttemptRow {
  attempt: number;
  started_at_ms: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
}

const COLUMNS =
  'id, endpoint_id, event_id, event_name, body, status, attempts, last_status_code, last_error, created_at, next_attempt_ms, delivered_at';

/** A delivery taken by one worker for one attempt, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_name: string;
  body: string;
  /** This attempt's number; also the token that lets only its claimer record the outcome. */
  attempts: number;
  attempt_limit: number | null;
  url: string;
  secret: string | null;
}

/**
 * Claims the most overdue pending delivery of an active endpoint not in
 * `skipEndpointIds`. SKIP LOCKED keeps concurrent claimers (other processes)
 * off the same row; the lease hands it back if this process dies mid-attempt.
 */
export async function claimDueDelivery(
  q: Queryable,
  c: { nowMs: number; leaseUntilMs: number; skipEndpointIds: string[] },
): Promise<ClaimedDelivery | undefined> {
  const [row] = await q.query<ClaimedDelivery>(
    `with due as (
       select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_ms <= $1 and coalesce(d.lease_until_ms, 0) <= $1
          and e.active = 1 and d.endpoint_id <> all($3::text[])
        order by d.next_attempt_ms, d.seq
        limit 1
        for update of d skip locked)
     update webhook_deliveries d set attempts = d.attempts + 1, lease_until_ms = $2
       from due, webhook_endpoints e
      where d.id = due.id and e.id = d.endpoint_id
     returning d.id, d.endpoint_id, d.event_name, d.body, d.attempts, d.attempt_limit, e.url, e.secret`,
    [c.nowMs, c.leaseUntilMs, c.skipEndpointIds],
  );
  return row;
}

export interface AttemptOutcome {
  deliveryId: string;
  attempt: number;
  startedAtMs: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  next: { status: 'delivered'; deliveredAt: number } | { status: 'failed' } | { status: 'pending'; nextAttemptMs: number };
}

/**
 * Logs an attempt and moves its delivery on. The update only lands for the
 * claim that is still current (same attempt number): a claimer whose lease
 * expired and was taken over writes its log line but not the status.
 */
export async function recordAttempt(q: Queryable, o: AttemptOutcome): Promise<void> {
  await q.query(
    `insert into webhook_attempts (delivery_id, attempt, started_at_ms, duration_ms, status_code, error, response_body)
     select $1, $2, $3, $4, $5, $6, $7 where exists (select 1 from webhook_deliveries where id = $1)
     on conflict do nothing`,
    [o.deliveryId, o.attempt, o.startedAtMs, o.durationMs, o.statusCode, o.error, o.responseBody],
  );
  await q.query(
    `update webhook_deliveries set status = $3, last_status_code = $4, last_error = $5, lease_until_ms = null,
       next_attempt_ms = coalesce($6, next_attempt_ms), delivered_at = coalesce($7, delivered_at)
     where id = $1 and attempts = $2 and status = 'pending'`,
    [
      o.deliveryId,
      o.attempt,
      o.next.status,
      o.statusCode,
      o.error,
      o.next.status === 'pending' ? o.next.nextAttemptMs : null,
      o.next.status === 'delivered' ? o.next.deliveredAt : null,
    ],
  );
}

/**
 * Queues one more attempt now. A settled (delivered or failed) delivery gets
 * exactly one attempt; a pending one keeps its retry budget and is just due now.
 */
export async function requeueDelivery(
  q: Queryable,
  r: { endpointId: string; deliveryId: string; nowMs: number },
): Promise<DeliveryRow | undefined> {
  const [row] = await q.query<DeliveryRow>(
    `update webhook_deliveries set
       attempt_limit = case when status = 'pending' then attempt_limit else attempts + 1 end,
       status = 'pending', next_attempt_ms = $3
     where id = $2 and endpoint_id = $1 returning ${COLUMNS}`,
    [r.endpointId, r.deliveryId, r.nowMs],
  );
  return row;
}

export async function findDelivery(q: Queryable, endpointId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
  const [row] = await q.query<DeliveryRow>(`select ${COLUMNS} from webhook_deliveries where id = $2 and endpoint_id = $1`, [
    endpointId,
    deliveryId,
  ]);
  return row;
}

export async function listAttempts(q: Queryable, deliveryId: string): Promise<AttemptRow[]> {
  return q.query<AttemptRow>(
    `select attempt, started_at_ms, duration_ms, status_code, error, response_body
       from webhook_attempts where delivery_id = $1 order by attempt`,
    [deliveryId],
  );
}

export async function listDeliveries(
  q: Queryable,
  f: { endpointId: string; status: DeliveryStatus | undefined; sort: Sort; limit: number; offset: number },
): Promise<DeliveryRow[]> {
  const order = sqlOrder(f.sort, { created_at: 'created_at', next_attempt_at: 'next_attempt_ms', attempts: 'attempts' }, 'seq');
  return q.query<DeliveryRow>(
    `select ${COLUMNS} from webhook_deliveries where endpoint_id = $1 and ($2::text is null or status = $2)
      order by ${order} limit $3 offset $4`,
    [f.endpointId, f.status ?? null, f.limit, f.offset],
  );
}

export async function countDeliveries(q: Queryable, endpointId: string, status: DeliveryStatus | undefined): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    'select count(*)::int8 as n from webhook_deliveries where endpoint_id = $1 and ($2::text is null or status = $2)',
    [endpointId, status ?? null],
  );
  return row?.n ?? 0;
}
