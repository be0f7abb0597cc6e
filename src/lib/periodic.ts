/**
 * Runs `round` now and every intervalMs, never two at once (a slow round makes
 * the next tick a no-op); the returned stop waits for a round in progress.
 */
export function runPeriodically(round: () => Promise<void>, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= round().finally(() => {
      running = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
