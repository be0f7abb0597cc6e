import { Errors } from '../errors.ts';
import type { Queryable } from '../store/db.ts';
import { claimIdempotencyKey, storeIdempotentResponse } from '../store/idempotency.ts';

export interface IdempotencyClaim {
  key: string;
  /** Hash of the request's body: the same key with another body is refused. */
  requestHash: string;
}

/**
 * Claims the key inside the transaction that first moves money. A key seen
 * before answers with its first response (or 409 while that one is still
 * running, 422 if the request differs) and nothing moves again.
 */
export async function claimOrReplay(q: Queryable, walletId: string, claim: IdempotencyClaim, now: number): Promise<void> {
  const existing = await claimIdempotencyKey(q, { walletId, key: claim.key, requestHash: claim.requestHash, now });
  if (!existing) return;
  if (existing.request_hash !== claim.requestHash) throw Errors.idempotencyMismatch();
  if (existing.status_code === null) throw Errors.idempotencyInProgress();
  throw Errors.replay(existing.status_code, existing.response);
}

export async function answerIdempotently(
  q: Queryable,
  walletId: string,
  key: string | null | undefined,
  statusCode: number,
  response: unknown,
): Promise<void> {
  if (key) await storeIdempotentResponse(q, { walletId, key, statusCode, response });
}
