import { Type } from 'typebox';
import { EVENTS } from '../model/events.ts';
import { ALL_EVENTS } from '../model/webhooks.ts';
import { Nullable } from './schemas.ts';

/** Request and reply shapes of lnpayd's webhook management API (LNPAY-API.md §8). */

const eventNames = [ALL_EVENTS, ...Object.keys(EVENTS)].join(', ');

const endpointFields = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'absolute http(s) URL', examples: ['https://example.com/lnpay-hook'] }),
  events: Type.Array(Type.String(), { maxItems: 64, description: `event names (${eventNames}); omitted = all` }),
  secret: Nullable(Type.String({ maxLength: 255, description: 'HMAC-SHA256 key of X-LNPay-Signature; null or "" removes it' })),
  description: Nullable(Type.String({ maxLength: 255 })),
  active: Type.Integer({ minimum: 0, maximum: 1 }),
};

export const CreateWebhookBody = Type.Object({
  url: endpointFields.url,
  events: Type.Optional(endpointFields.events),
  secret: Type.Optional(endpointFields.secret),
  description: Type.Optional(endpointFields.description),
});

export const UpdateWebhookBody = Type.Object({
  url: Type.Optional(endpointFields.url),
  events: Type.Optional(endpointFields.events),
  secret: Type.Optional(endpointFields.secret),
  description: Type.Optional(endpointFields.description),
  active: Type.Optional(endpointFields.active),
});

export const WebhookParams = Type.Object({ id: Type.String({ pattern: '^\\w+$' }) });
export const DeliveryParams = Type.Object({
  id: Type.String({ pattern: '^\\w+$' }),
  delivery_id: Type.String({ pattern: '^\\w+$' }),
});
export const DeliveriesQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
});

export const WebhookSchema = Type.Object({
  id: Type.String({ examples: ['iwh_Xr3KpQ9aLm2ZtB'] }),
  url: Type.String(),
  events: Type.Array(Type.String(), { examples: [[ALL_EVENTS]] }),
  description: Nullable(Type.String()),
  active: Type.Integer(),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
});

export const DeliverySchema = Type.Object({
  id: Type.String({ examples: ['iwhr_TBYsAgdgeOkhfA1cb5a33szZ'] }),
  event_id: Type.String(),
  event: Type.String(),
  status: Type.String({ description: 'pending, delivered or failed' }),
  attempts: Type.Integer(),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: Type.Integer(),
  next_attempt_at: Nullable(Type.Integer()),
  delivered_at: Nullable(Type.Integer()),
});

export const DeliveryDetailSchema = Type.Object({
  ...DeliverySchema.properties,
  payload: Type.Unknown({ description: 'the envelope posted on every attempt' }),
  attempt_log: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      started_at: Type.Integer(),
      duration_ms: Type.Integer(),
      status_code: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
      response_body: Nullable(Type.String({ description: 'first 1024 characters' })),
    }),
  ),
});
