import type { Logger } from 'pino';
import type { ServiceContext } from './context.ts';
import { recoverPayments } from './recoverPayments.ts';

/** Asks the node about abandoned payments now and then every few seconds; returns a stop function. */
export function startRecoveryLoop(ctx: ServiceContext, logger: Logger, intervalMs = 5000): () => Promise<void> {
  let running: Promise<void> | undefined;
  const round = () => {
    running ??= recoverPayments(ctx)
      .then(({ resolved, inFlight }) => {
        if (resolved > 0 || inFlight > 0) logger.info({ resolved, inFlight }, 'payment recovery round');
      })
      .catch((err: unknown) => logger.error({ err }, 'payment recovery failed'))
      .finally(() => {
        running = undefined;
      });
  };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
