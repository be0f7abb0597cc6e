import { Errors } from '../errors.ts';
import { newId } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import { EVENTS } from '../model/events.ts';
import { ALL_EVENTS, webhookEndpointJson } from '../model/webhooks.ts';
import type { Sort } from '../store/sort.ts';
import {
  type EndpointChanges,
  countEndpoints,
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
} from '../store/webhooks.ts';
import { obviouslyPrivateHost } from '../webhooks/targets.ts';
import type { ServiceContext } from './context.ts';
import type { PageWindow } from './listRecords.ts';

export interface WebhookEndpointInput {
  url?: string | undefined;
  events?: string[] | undefined;
  /** null or "" removes the secret (deliveries are then unsigned). */
  secret?: string | null | undefined;
  description?: string | null | undefined;
  active?: number | undefined;
}

/** Registers an endpoint; it receives events recorded from now on, never older ones. */
export async function createWebhookEndpoint(ctx: ServiceContext, input: WebhookEndpointInput & { url: string }) {
  const row = await insertEndpoint(ctx.db, {
    id: newId('iwh_', 14),
    url: checkedUrl(ctx, input.url),
    events: input.events === undefined ? null : checkedEvents(input.events),
    secret: input.secret || null,
    description: input.description ?? null,
    now: nowSeconds(),
  });
  return webhookEndpointJson(row);
}

export async function getWebhookEndpoint(ctx: ServiceContext, id: string) {
  const row = await findEndpoint(ctx.db, id);
  if (!row) throw Errors.webhookNotFound(id);
  return webhookEndpointJson(row);
}

export async function listWebhookEndpoints(ctx: ServiceContext, sort: Sort, paginate: (total: number) => PageWindow) {
  const total = await countEndpoints(ctx.db);
  const page = paginate(total);
  const rows = await listEndpoints(ctx.db, sort, page);
  return { rows: rows.map(webhookEndpointJson), total, page };
}

export async function updateWebhookEndpoint(ctx: ServiceContext, id: string, input: WebhookEndpointInput) {
  const changes: EndpointChanges = {
    url: input.url === undefined ? undefined : checkedUrl(ctx, input.url),
    events: input.events === undefined ? undefined : checkedEvents(input.events),
    secret: input.secret === undefined ? undefined : input.secret || null,
    description: input.description,
    active: input.active,
  };
  const row = await updateEndpoint(ctx.db, id, changes, nowSeconds());
  if (!row) throw Errors.webhookNotFound(id);
  return webhookEndpointJson(row);
}

/** Removes the endpoint with its delivery log; attempts in flight finish but are not recorded. */
export async function deleteWebhookEndpoint(ctx: ServiceContext, id: string): Promise<void> {
  if (!(await deleteEndpoint(ctx.db, id))) throw Errors.webhookNotFound(id);
}

function checkedUrl(ctx: ServiceContext, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw Errors.webhookUrlInvalid();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw Errors.webhookUrlInvalid();
  if (!ctx.webhooks.allowPrivateTargets && obviouslyPrivateHost(url.hostname)) throw Errors.webhookUrlPrivate();
  return raw;
}

/** Event names of LNPay's §4, deduplicated; `default_all` (LNPay's marker) subscribes to all: stored as null. */
function checkedEvents(names: string[]): string[] | null {
  if (names.length === 0) throw Errors.webhookEventsBlank();
  const unknown = names.find((n) => n !== ALL_EVENTS && !Object.hasOwn(EVENTS, n));
  if (unknown !== undefined) throw Errors.webhookEventUnknown(unknown);
  return names.includes(ALL_EVENTS) ? null : [...new Set(names)];
}
