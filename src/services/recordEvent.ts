import { newId } from '../lib/random.ts';
import type { EventName } from '../model/events.ts';
import { insertEvent } from '../store/events.ts';
import type { Queryable } from '../store/db.ts';

/** Adds an event to the outbox; call it inside the transaction that made the change. */
export async function recordEvent(q: Queryable, name: EventName, data: unknown, now: number): Promise<void> {
  await insertEvent(q, { id: newId('evt_', 24), name, now, data });
}
