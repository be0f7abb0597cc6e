import { Errors } from '../errors.ts';
import { webhookAttemptJson, webhookDeliveryJson } from '../model/webhooks.ts';
import type { Sort } from '../store/sort.ts';
import {
  type DeliveryStatus,
  countDeliveries,
  findDelivery,
  listAttempts,
  listDeliveries,
  requeueDelivery,
} from '../store/webhookDeliveries.ts';
import { findEndpoint } from '../store/webhooks.ts';
import type { ServiceContext } from './context.ts';
import type { PageWindow } from './listRecords.ts';

async function requireEndpoint(ctx: ServiceContext, endpointId: string): Promise<void> {
  if (!(await findEndpoint(ctx.db, endpointId))) throw Errors.webhookNotFound(endpointId);
}

export async function listWebhookDeliveries(
  ctx: ServiceContext,
  f: { endpointId: string; status: DeliveryStatus | undefined; sort: Sort },
  paginate: (total: number) => PageWindow,
) {
  await requireEndpoint(ctx, f.endpointId);
  const total = await countDeliveries(ctx.db, f.endpointId, f.status);
  const page = paginate(total);
  const rows = await listDeliveries(ctx.db, { ...f, ...page });
  return { rows: rows.map(webhookDeliveryJson), total, page };
}

/** One delivery with the envelope it sends and a line per attempt. */
export async function getWebhookDelivery(ctx: ServiceContext, endpointId: string, deliveryId: string) {
  await requireEndpoint(ctx, endpointId);
  const row = await findDelivery(ctx.db, endpointId, deliveryId);
  if (!row) throw Errors.webhookDeliveryNotFound(deliveryId);
  const attempts = await listAttempts(ctx.db, deliveryId);
  return { ...webhookDeliveryJson(row), payload: JSON.parse(row.body) as unknown, attempt_log: attempts.map(webhookAttemptJson) };
}

/** Queues a new attempt now with the same envelope (same evt_ id and iwhr_ id), signed with the current secret. */
export async function redeliverWebhook(ctx: ServiceContext, endpointId: string, deliveryId: string) {
  await requireEndpoint(ctx, endpointId);
  const row = await requeueDelivery(ctx.db, { endpointId, deliveryId, nowMs: Date.now() });
  if (!row) throw Errors.webhookDeliveryNotFound(deliveryId);
  return webhookDeliveryJson(row);
}
