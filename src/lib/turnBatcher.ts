export interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

interface Lane<T, R> {
  queued: Waiting<T, R>[];
  flushing: number;
  scheduled: boolean;
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
    private readonly limits: { maxItems: number; maxFlushing: number },
    private readonly flush: (key: K, batch: Waiting<T, R>[]) => Promise<void>,
  ) {}

  submit(key: K, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { queued: [], flushing: 0, scheduled: false };
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
        const batch = lane.queued.splice(0, this.limits.maxItems);
        lane.flushing++;
        this.flush(key, batch)
          .catch((err: unknown) => {
            for (const w of batch) w.reject(err);
          })
          .finally(() => {
            lane.flushing--;
            this.schedule(key, lane);
          });
      }
    });
  }
}
