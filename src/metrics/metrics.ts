import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from '../store/db.ts';
import { pendingDeliveryCount, pendingPaymentTotals } from '../store/gauges.ts';

export type PaymentOutcome = 'internal' | 'outgoing_succeeded' | 'outgoing_failed';
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** What the services report, each at the one place the fact commits. */
export interface BusinessMetrics {
  invoiceCreated(): void;
  invoiceSettled(): void;
  paymentDecided(outcome: PaymentOutcome, feeMsat: number): void;
}

/**
 * Every lnpayd metric, in its own registry so that several servers in one
 * process (the tests) never collide. Counters count events of this process;
 * backlog and in-flight gauges are read from the database at scrape time, so
 * every process reports the same shared truth for them.
 */
export class Metrics implements BusinessMetrics {
  readonly registry = new Registry();
  private readonly httpRequests = new Counter({
    name: 'lnpayd_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'lnpayd_http_request_duration_seconds',
    help: 'Time from request to response, by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly invoicesCreated = new Counter({
    name: 'lnpayd_invoices_created_total',
    help: 'Invoices issued to wallets',
    registers: [this.registry],
  });
  private readonly invoicesSettled = new Counter({
    name: 'lnpayd_invoices_settled_total',
    help: 'Wallet invoices credited (paid from outside or by another wallet)',
    registers: [this.registry],
  });
  private readonly payments = new Counter({
    name: 'lnpayd_payments_total',
    help: 'Payments decided, by outcome: internal, outgoing_succeeded, outgoing_failed',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly feesPaid = new Counter({
    name: 'lnpayd_payment_fees_paid_msat_total',
    help: 'Lightning routing fees paid by the node for succeeded outgoing payments (msat)',
    registers: [this.registry],
  });
  private readonly webhookAttempts = new Counter({
    name: 'lnpayd_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome: delivered, retry (will be tried again), failed (for good)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly ledgerOk = new Gauge({
    name: 'lnpayd_ledger_invariants_ok',
    help: '1 when the last ledger invariant check passed, 0 when it found problems, NaN before the first check',
    registers: [this.registry],
  });
  private readonly ledgerCheckedAt = new Gauge({
    name: 'lnpayd_ledger_invariants_checked_at_seconds',
    help: 'Unix time of the last ledger invariant check (0 before the first)',
    registers: [this.registry],
  });
  private readonly dbBusy = new Gauge({
    name: 'lnpayd_db_operations_in_flight',
    help: 'Database queries and transactions holding a connection now, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.ledgerOk.set(Number.NaN);
    this.dbBusy.set({ kind: 'query' }, 0);
    this.dbBusy.set({ kind: 'transaction' }, 0);
  }

  /** Gauges read from the database at scrape time (several processes all see the same rows). */
  watchDatabase(db: Queryable): void {
    new Gauge({
      name: 'lnpayd_payments_in_flight',
      help: 'Outgoing payments waiting on the Lightning node',
      registers: [this.registry],
      async collect() {
        this.set((await pendingPaymentTotals(db)).count);
      },
    });
    new Gauge({
      name: 'lnpayd_payments_in_flight_msat',
      help: 'Amount of the outgoing payments waiting on the Lightning node (msat, fees excluded)',
      registers: [this.registry],
      async collect() {
        this.set((await pendingPaymentTotals(db)).amountMsat);
      },
    });
    new Gauge({
      name: 'lnpayd_webhook_backlog',
      help: 'Webhook deliveries waiting for a first or further attempt',
      registers: [this.registry],
      async collect() {
        this.set(await pendingDeliveryCount(db));
      },
    });
  }

  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route, method }, seconds);
  }

  invoiceCreated(): void {
    this.invoicesCreated.inc();
  }

  invoiceSettled(): void {
    this.invoicesSettled.inc();
  }

  paymentDecided(outcome: PaymentOutcome, feeMsat: number): void {
    this.payments.inc({ outcome });
    if (feeMsat > 0) this.feesPaid.inc(feeMsat);
  }

  webhookAttempt(outcome: DeliveryOutcome): void {
    this.webhookAttempts.inc({ outcome });
  }

  /** The periodic ledger check reports here. */
  ledgerChecked(ok: boolean, checkedAtSeconds: number): void {
    this.ledgerOk.set(ok ? 1 : 0);
    this.ledgerCheckedAt.set(checkedAtSeconds);
  }

  dbOperation(kind: 'query' | 'transaction', delta: 1 | -1): void {
    this.dbBusy.inc({ kind }, delta);
  }
}
