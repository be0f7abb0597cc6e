import type { Queryable } from './db.ts';

/** A key answers with its first result for a day; after that it may be used afresh. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export interface IdempotencyRow {
  request_hash: string;
  status_code: number | null;
  response: unknown;
}

/**
 * Claims (wallet, key) inside the caller's transaction. Returns undefined when
 * this request claimed it, or the existing row (waiting for a concurrent
 * claimer to commit first, through the primary key).
 */
export async function claimIdempotencyKey(
  q: Queryable,
  c: { walletId: string; key: string; requestHash: string; now: number },
): Promise<IdempotencyRow | undefined> {
  const inserted = await q.query(
    `insert into idempotency_keys (wallet_id, key, request_hash, created_at) values ($1, $2, $3, $4)
     on conflict (wallet_id, key) do update
       set request_hash = excluded.request_hash, status_code = null, response = null, created_at = excluded.created_at
       where idempotency_keys.created_at < $5
     returning 1 as claimed`,
    [c.walletId, c.key, c.requestHash, c.now, c.now - IDEMPOTENCY_TTL_SECONDS],
  );
  if (inserted.length > 0) return undefined;
  const [row] = await q.query<IdempotencyRow>(
    'select request_hash, status_code, response from idempotency_keys where wallet_id = $1 and key = $2',
    [c.walletId, c.key],
  );
  return row;
}

export async function storeIdempotentResponse(
  q: Queryable,
  r: { walletId: string; key: string; statusCode: number; response: unknown },
): Promise<void> {
  await q.query('update idempotency_keys set status_code = $3, response = $4::jsonb where wallet_id = $1 and key = $2', [
    r.walletId,
    r.key,
    r.statusCode,
    r.response,
  ]);
}

