import type { Logger } from 'pino';
import { runPeriodically } from '../lib/periodic.ts';
import { type InvariantReport, checkInvariants } from './checkInvariants.ts';
import type { ServiceContext } from './context.ts';

export interface InvariantJob {
  /** The latest finished check; undefined before the first one ends. */
  last(): InvariantReport | undefined;
  stop(): Promise<void>;
}

/**
 * Runs the invariant check now and every intervalMs, logging a broken ledger
 * at error level each time it is seen, and hands every report to onResult
 * (e.g. a metrics gauge).
 */
export function startInvariantJob(
  ctx: ServiceContext,
  logger: Logger,
  intervalMs: number,
  onResult: (report: InvariantReport) => void = () => {},
): InvariantJob {
  let last: InvariantReport | undefined;
  const stop = runPeriodically(
    () =>
      checkInvariants(ctx)
        .then((report) => {
          last = report;
          if (report.ok) logger.debug({ invariants: report }, 'invariant check passed');
          else logger.error({ invariants: report }, `INVARIANTS BROKEN: ${report.problems.join('; ')}`);
          onResult(report);
        })
        .catch((err: unknown) => logger.error({ err }, 'invariant check failed to run')),
    intervalMs,
  );
  return { last: () => last, stop };
}
