import { setTimeout as sleep } from 'node:timers/promises';
import type { SettledInvoice } from '../backend.ts';
import { type LndRest, base64ToHex } from './rest.ts';

type Json = Record<string, unknown>;

const PAGE_SIZE = 500;
const MAX_BACKOFF_MS = 30_000;

function settledInvoice(invoice: Json): SettledInvoice | undefined {
  if (invoice.state !== 'SETTLED') return undefined;
  return {
    paymentHash: base64ToHex(invoice.r_hash),
    preimage: base64ToHex(invoice.r_preimage),
    amountMsat: Number(invoice.amt_paid_msat),
    settleIndex: Number(invoice.settle_index),
  };
}

/**
 * Follows LND's invoice stream from `fromSettleIndex`, reconnecting with
 * backoff, and hands every settled invoice to `onSettle` one at a time. LND
 * replays settlements after a non-zero index; a zero index replays nothing,
 * so then the stored invoices are listed too (after subscribing, so none
 * falls between). A settlement may be handed over twice; never skipped: an
 * `onSettle` failure reconnects from the last one handled.
 */
export function followSettlements(
  rest: LndRest,
  fromSettleIndex: number,
  onSettle: (invoice: SettledInvoice) => Promise<void>,
  onError: (err: unknown) => void,
): () => Promise<void> {
  const controller = new AbortController();
  const { signal } = controller;
  let last = fromSettleIndex;
  let queue = Promise.resolve();
  const handle = (invoice: Json): Promise<void> => {
    const settled = settledInvoice(invoice);
    if (!settled) return queue;
    queue = queue.then(async () => {
      await onSettle(settled);
      last = Math.max(last, settled.settleIndex);
    });
    return queue;
  };
  const catchUp = async () => {
    for (let offset = 0; !signal.aborted; ) {
      const page = await rest.call<{ invoices?: Json[]; last_index_offset?: string }>(
        'GET',
        `/v1/invoices?index_offset=${offset}&num_max_invoices=${PAGE_SIZE}`,
      );
      const invoices = page.invoices ?? [];
      if (invoices.length === 0) return;
      for (const invoice of invoices) await handle(invoice);
      offset = Number(page.last_index_offset);
    }
  };
  const run = async () => {
    for (let backoffMs = 1000; !signal.aborted; backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS)) {
      // One connection per attempt: a failed catch-up must not leave its stream running.
      const attempt = new AbortController();
      const stopAttempt = () => attempt.abort();
      signal.addEventListener('abort', stopAttempt, { once: true });
      try {
        queue = Promise.resolve();
        const live = rest.stream('GET', `/v1/invoices/subscribe?settle_index=${last}`, undefined, attempt.signal, async (invoice) => {
          backoffMs = 1000;
          await handle(invoice);
        });
        live.catch(() => undefined);
        if (last === 0) await catchUp();
        await live;
      } catch (err) {
        if (!signal.aborted) onError(err);
      } finally {
        attempt.abort();
        signal.removeEventListener('abort', stopAttempt);
      }
      await sleep(backoffMs, undefined, { signal }).catch(() => undefined);
    }
  };
  const running = run();
  return async () => {
    controller.abort();
    await running;
    await queue.catch(() => undefined);
  };
}
