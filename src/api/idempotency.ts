import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Errors } from '../errors.ts';
import type { IdempotencyClaim } from '../services/idempotency.ts';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/** The `Idempotency-Key` header (1–255 characters) with a hash of what the request asks for. */
export function idempotencyOf(request: FastifyRequest): IdempotencyClaim | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > 255) throw Errors.idempotencyKeyInvalid();
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.routeOptions.url ?? ''} ${JSON.stringify(canonical(request.body ?? {}))}`)
    .digest('hex');
  return { key, requestHash };
}
