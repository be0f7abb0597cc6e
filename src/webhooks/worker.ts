import type { Logger } from 'pino';
import type { WebhookConfig } from '../config.ts';
import { observe } from '../metrics/observedDb.ts';
import type { Db } from '../store/db.ts';
import { type ClaimedDelivery, claimDueDelivery, recordAttempt } from '../store/webhookDeliveries.ts';
import { disableEndpoint } from '../store/webhooks.ts';
import { nextStep } from './retry.ts';
import { postWebhook } from './send.ts';

/** One slow endpoint may hold this many of the process's slots; the rest stay free for the others. */
const PER_ENDPOINT_CONCURRENCY = 4;
/** A claim lasts twice the request timeout plus this; after it another process (or this one after a restart) retries. */
const LEASE_MARGIN_MS = 1000;

/**
 * Delivers due webhook deliveries: claims them one by one from the database
 * (safe with several processes), posts them concurrently, records each
 * outcome. Nothing lives only in memory: a crash leaves claims that expire.
 */
export class WebhookWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();
  private filling: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly config: WebhookConfig,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.config.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Graceful: claims nothing more, waits for attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.filling;
    await Promise.all(this.inFlight);
  }

  private wake(): void {
    if (this.stopping || this.filling) return;
    this.filling = this.fill()
      .catch((err: unknown) => this.logger.error({ err }, 'webhook claim failed'))
      .finally(() => {
        this.filling = undefined;
      });
  }

  private async fill(): Promise<void> {
    while (!this.stopping && this.inFlight.size < this.config.concurrency) {
      const nowMs = Date.now();
      const claimed = await claimDueDelivery(this.db, {
        nowMs,
        leaseUntilMs: nowMs + 2 * this.config.timeoutMs + LEASE_MARGIN_MS,
        skipEndpointIds: [...this.perEndpoint].filter(([, n]) => n >= PER_ENDPOINT_CONCURRENCY).map(([id]) => id),
      });
      if (!claimed) return;
      this.track(claimed);
    }
  }

  private track(claimed: ClaimedDelivery): void {
    const endpoint = claimed.endpoint_id;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
    const run: Promise<void> = this.attempt(claimed)
      .catch((err: unknown) => this.logger.error({ err, delivery: claimed.id }, 'webhook attempt not recorded'))
      .finally(() => {
        this.inFlight.delete(run);
        const left = (this.perEndpoint.get(endpoint) ?? 1) - 1;
        if (left > 0) this.perEndpoint.set(endpoint, left);
        else this.perEndpoint.delete(endpoint);
        this.wake();
      });
    this.inFlight.add(run);
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const startedAtMs = Date.now();
    const result = await postWebhook({
      url: d.url,
      body: d.body,
      eventName: d.event_name,
      deliveryId: d.id,
      secret: d.secret,
      timeoutMs: this.config.timeoutMs,
      allowPrivateTargets: this.config.allowPrivateTargets,
    });
    const next = nextStep(result, d.attempts, d.attempt_limit ?? this.config.maxAttempts, this.config, Date.now());
    await this.db.transaction(async (tx) => {
      await recordAttempt(tx, { deliveryId: d.id, attempt: d.attempts, startedAtMs, ...result, next });
      observe(tx, (m) => m.webhookAttempt(next.status === 'pending' ? 'retry' : next.status));
      if (result.statusCode === 410) await disableEndpoint(tx, d.endpoint_id, Math.floor(Date.now() / 1000));
    });
    const log = { delivery: d.id, endpoint: d.endpoint_id, event: d.event_name, attempt: d.attempts, status: result.statusCode, error: result.error };
    if (result.statusCode === 410) this.logger.warn(log, 'webhook endpoint answered 410 Gone: endpoint disabled');
    else if (next.status === 'failed') this.logger.warn(log, 'webhook delivery failed for good');
    else this.logger.debug({ ...log, outcome: next.status }, 'webhook attempt');
  }
}
