import type { WebhookConfig } from '../config.ts';
import type { AttemptOutcome } from '../store/webhookDeliveries.ts';
import type { SendResult } from './send.ts';

/** Growth of the retry delay per attempt: 1 min base gives 1, 3, 9, 27, 81, 243 min, then the 6 h cap. */
const BACKOFF_FACTOR = 3;
/** ±20 %: deliveries that failed together (receiver down) do not all come back at once. */
const JITTER = 0.2;

/** Delay before the attempt after attempt number `attempt` (1-based). */
export function retryDelayMs(attempt: number, c: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number {
  const exponential = c.retryBaseMs * BACKOFF_FACTOR ** (attempt - 1);
  const jittered = exponential * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(c.retryMaxMs, jittered));
}

/**
 * What a finished attempt makes of its delivery: any 2xx is delivered; 410
 * Gone is failed at once (and the endpoint disabled by the caller); anything
 * else is retried until the attempt limit, then failed.
 */
export function nextStep(
  result: SendResult,
  attempt: number,
  attemptLimit: number,
  c: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs'>,
  nowMs: number,
): AttemptOutcome['next'] {
  const code = result.statusCode;
  if (code !== null && code >= 200 && code < 300) return { status: 'delivered', deliveredAt: Math.floor(nowMs / 1000) };
  if (code === 410 || attempt >= attemptLimit) return { status: 'failed' };
  return { status: 'pending', nextAttemptMs: nowMs + retryDelayMs(attempt, c) };
}
