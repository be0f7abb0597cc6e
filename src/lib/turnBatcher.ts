export interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

interface Lane<T, R> {
  queued: Waiting<T, R>[];
  flushing: number;
  scheduled: boolean;
  /** How many batches being flushed claim each name. */
  claimed: Map<string, number>;
}

export interface TurnBatcherOptions<T> {
  maxItems: number;
  maxFlushing: number;
  /**
   * What an item will lock (wallet ids, say). An item that shares a name with
   * a batch being flushed waits for that batch to end instead of joining one
   * that would wait on its locks, and so do the items behind it that share a
   * name with it, so that items naming the same thing keep their order. Then
   * the batches in flight never wait for each other.
   */
  claims?: (item: T) => readonly string[];
}

/**
 * Group commit: items submitted for one key are handed to `flush` together,
 * up to `maxItems` a batch and at most `maxFlushing` batches at a time. An
 * item that finds a free slot goes out when the current event-loop turn is
 * over, with whatever else that turn submitted; under load, items queue
 * while the slots are busy and the next batch takes them all. So batches grow
 * with the load by themselves, and requests that would each wait for the
 * same row lock or the same WAL flush share one instead. `flush` settles each
 * item; any it leaves when it throws are rejected with the error.
 */
export class TurnBatcher<K extends object, T, R> {
  private readonly lanes = new WeakMap<K, Lane<T, R>>();

  constructor(
    private readonly limits: TurnBatcherOptions<T>,
    private readonly flush: (key: K, batch: Waiting<T, R>[]) => Promise<void>,
  ) {}

  submit(key: K, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { queued: [], flushing: 0, scheduled: false, claimed: new Map() };
        this.lanes.set(key, lane);
      }
      lane.queued.push({ item, resolve, reject });
      this.schedule(key, lane);
    });
  }

  private schedule(key: K, lane: Lane<T, R>): void {
    if (lane.scheduled || lane.flushing >= this.limits.maxFlushing || lane.queued.length === 0) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      while (lane.flushing < this.limits.maxFlushing && lane.queued.length > 0) {
        const { batch, claims } = this.take(lane);
        if (batch.length === 0) return;
        lane.flushing++;
        for (const name of claims) lane.claimed.set(name, (lane.claimed.get(name) ?? 0) + 1);
        this.flush(key, batch)
          .catch((err: unknown) => {
            for (const w of batch) w.reject(err);
          })
          .finally(() => {
            lane.flushing--;
            for (const name of claims) {
              const left = (lane.claimed.get(name) ?? 1) - 1;
              if (left === 0) lane.claimed.delete(name);
              else lane.claimed.set(name, left);
            }
            this.schedule(key, lane);
          });
      }
    });
  }

  /** The next batch: queued items in order, less those held back by a batch in flight (see `claims`). */
  private take(lane: Lane<T, R>): { batch: Waiting<T, R>[]; claims: Set<string> } {
    const claimsOf = this.limits.claims;
    if (!claimsOf) return { batch: lane.queued.splice(0, this.limits.maxItems), claims: new Set() };
    const batch: Waiting<T, R>[] = [];
    const kept: Waiting<T, R>[] = [];
    const claims = new Set<string>();
    const held = new Set<string>();
    for (const w of lane.queued) {
      const names = claimsOf(w.item);
      if (batch.length < this.limits.maxItems && !names.some((n) => lane.claimed.has(n) || held.has(n))) {
        batch.push(w);
        for (const n of names) claims.add(n);
      } else {
        kept.push(w);
        for (const n of names) held.add(n);
      }
    }
    lane.queued = kept;
    return { batch, claims };
  }
}
