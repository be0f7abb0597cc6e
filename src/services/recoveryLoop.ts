import type { Logger } from 'pino';
import { runPeriodically } from '../lib/periodic.ts';
import type { ServiceContext } from './context.ts';
import { recoverPayments } from './recoverPayments.ts';

/** Asks the node about abandoned payments now and then every few seconds; returns a stop function. */
export function startRecoveryLoop(ctx: ServiceContext, logger: Logger, intervalMs = 5000): () => Promise<void> {
  return runPeriodically(
    () =>
      recoverPayments(ctx)
        .then(({ resolved, inFlight }) => {
          if (resolved > 0 || inFlight > 0) logger.info({ resolved, inFlight }, 'payment recovery round');
        })
        .catch((err: unknown) => logger.error({ err }, 'payment recovery failed')),
    intervalMs,
  );
}
