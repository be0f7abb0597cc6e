import type { Logger } from 'pino';
import { loadSettleIndex, saveSettleIndex } from '../store/settleIndex.ts';
import type { ServiceContext } from './context.ts';
import { settleIncoming } from './settleIncoming.ts';

/**
 * Credits what the node reports settled, resuming after the last settle index
 * credited, so payments received while lnpayd was down are credited at start.
 * The index is saved after the credit: a crash between the two replays one
 * settlement, which settleIncoming credits once. Returns a stop function.
 */
export async function startSettlementFollower(ctx: ServiceContext, logger: Logger): Promise<() => Promise<void>> {
  const from = await loadSettleIndex(ctx.db);
  return ctx.lightning.subscribeSettlements(
    from,
    async (invoice) => {
      const lntx = await settleIncoming(ctx, invoice);
      if (lntx) logger.info({ lntx: lntx.id, settleIndex: invoice.settleIndex }, 'incoming payment credited');
      await saveSettleIndex(ctx.db, invoice.settleIndex);
    },
    (err) => logger.error({ err }, 'following node settlements failed; reconnecting'),
  );
}
