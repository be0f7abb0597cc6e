import { newId } from '../lib/random.ts';
import type { EventName } from '../model/events.ts';
import { webhookEnvelope } from '../model/webhooks.ts';
import { insertEvents } from '../store/events.ts';
import type { Queryable } from '../store/db.ts';

export interface EventToRecord {
  name: EventName;
  data: unknown;
}

/**
 * Adds events to the outbox in order, with one webhook delivery per subscribed
 * endpoint; call it inside the transaction that made the change, so the events
 * and their deliveries exist exactly when the change committed.
 */
export async function recordEvents(q: Queryable, events: EventToRecord[], now: number): Promise<void> {
  await insertEvents(
    q,
    events.map(({ name, data }) => {
      const id = newId('evt_', 24);
      return { id, name, body: webhookEnvelope({ id, name, createdAt: now, data }) };
    }),
    now,
    Date.now(),
  );
}

export function recordEvent(q: Queryable, name: EventName, data: unknown, now: number): Promise<void> {
  return recordEvents(q, [{ name, data }], now);
}
