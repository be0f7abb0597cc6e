import type { AttemptRow, DeliveryRow } from '../store/webhookDeliveries.ts';
import type { WebhookEndpointRow } from '../store/webhooks.ts';
import { EVENTS, type EventName } from './events.ts';

/** What `events` shows for an endpoint subscribed to everything (LNPay's own marker). */
export const ALL_EVENTS = 'default_all';

/** The body LNPay's core posts: event meta around the event's data. Serialized once, sent byte-identical on every attempt. */
export function webhookEnvelope(e: { id: string; name: EventName; createdAt: number; data: unknown }): string {
  const meta = EVENTS[e.name];
  return JSON.stringify({
    id: e.id,
    created_at: e.createdAt,
    event: { id: meta.id, type: meta.type, name: e.name, display_name: meta.display_name },
    data: e.data,
  });
}

/** An endpoint as the API shows it: never its secret. */
export function webhookEndpointJson(w: WebhookEndpointRow) {
  return {
    id: w.id,
    url: w.url,
    events: w.events ?? [ALL_EVENTS],
    description: w.description,
    active: w.active,
    created_at: w.created_at,
    updated_at: w.updated_at,
  };
}

export function webhookDeliveryJson(d: DeliveryRow) {
  return {
    id: d.id,
    event_id: d.event_id,
    event: d.event_name,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    created_at: d.created_at,
    next_attempt_at: d.status === 'pending' ? Math.ceil(d.next_attempt_ms / 1000) : null,
    delivered_at: d.delivered_at,
  };
}

export function webhookAttemptJson(a: AttemptRow) {
  return {
    attempt: a.attempt,
    started_at: Math.floor(a.started_at_ms / 1000),
    duration_ms: a.duration_ms,
    status_code: a.status_code,
    error: a.error,
    response_body: a.response_body,
  };
}
