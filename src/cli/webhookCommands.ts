import { redeliverWebhook, listWebhookDeliveries } from '../services/webhookDeliveries.ts';
import type { DeliveryStatus } from '../store/webhookDeliveries.ts';
import { type Command, EXIT, UsageError, stringOption } from './command.ts';

const STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed'];

export const webhookDeliveries: Command = {
  words: ['webhooks', 'deliveries'],
  summary: "list a webhook endpoint's deliveries, newest first",
  usage: '<iwh_ endpoint id> [--status pending|delivered|failed]',
  options: { status: { type: 'string' } },
  arity: 1,
  needs: 'services',
  async run(ctx, { values, args, out }) {
    const status = stringOption(values, 'status');
    if (status !== undefined && !STATUSES.includes(status as DeliveryStatus)) {
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got "${status}"`);
    }
    const { rows } = await listWebhookDeliveries(
      ctx,
      { endpointId: args[0] as string, status: status as DeliveryStatus | undefined, sort: { field: 'created_at', desc: true } },
      (total) => ({ limit: total, offset: 0, page: 1 }),
    );
    const lines = rows.map(
      (d) =>
        `${d.id}  ${d.status.padEnd(9)} ${d.event.padEnd(24)} attempts ${d.attempts}` +
        (d.last_status_code !== null ? `, last HTTP ${d.last_status_code}` : '') +
        (d.last_error ? `, last error: ${d.last_error}` : ''),
    );
    out.result(lines.length > 0 ? lines : ['no deliveries'], rows);
    return EXIT.ok;
  },
};

export const webhookRedeliver: Command = {
  words: ['webhooks', 'redeliver'],
  summary: 'queue a new attempt of a delivery now (same event, same envelope)',
  usage: '<iwh_ endpoint id> <iwhr_ delivery id>',
  details: ['A running server (or the next one started) makes the attempt.'],
  arity: 2,
  needs: 'services',
  async run(ctx, { args, out }) {
    const delivery = await redeliverWebhook(ctx, args[0] as string, args[1] as string);
    out.result(`${delivery.id}: queued for a new attempt (${delivery.attempts} so far)`, delivery);
    return EXIT.ok;
  },
};
