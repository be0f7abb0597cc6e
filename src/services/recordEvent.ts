import { newId } from '../lib/random.ts';
import type { EventName } from '../model/events.ts';
import { webhookEnvelope } from '../model/webhooks.ts';
import { insertEvent } from '../store/events.ts';
import type { Queryable } from '../store/db.ts';
import { insertDeliveries } from '../store/webhookDeliveries.ts';
import { subscribedEndpointIds } from '../store/webhooks.ts';

/**
 * Adds an event to the outbox, with one webhook delivery per subscribed
 * endpoint; call it inside the transaction that made the change, so the event
 * and its deliveries exist exactly when the change committed.
 */
export async function recordEvent(q: Queryable, name: EventName, data: unknown, now: number): Promise<void> {
  const id = newId('evt_', 24);
  await insertEvent(q, { id, name, now, data });
  const endpointIds = await subscribedEndpointIds(q, name);
  if (endpointIds.length === 0) return;
  await insertDeliveries(q, {
    ids: endpointIds.map(() => newId('iwhr_', 24)),
    endpointIds,
    eventId: id,
    eventName: name,
    body: webhookEnvelope({ id, name, createdAt: now, data }),
    now,
    dueMs: Date.now(),
  });
}
