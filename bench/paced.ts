/**
 * A fixed offered load, open loop: requests leave at evenly spaced times
 * whatever the server answers, and each latency is counted from the time the
 * request was due, so a server (or generator) that falls behind shows it.
 * autocannon's rate option cannot do this: each connection sends its whole
 * per-second quota at once, so "500 req/s" arrives as bursts.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RawRequest } from './autocannon.ts';

/** The fixed offered load of the latency targets, requests (or transactions) per second. */
export const OFFERED_RATE = 500;

export interface PacedOptions {
  url: string;
  ratePerSecond: number;
  seconds: number;
  /** Most requests in flight at once (sockets kept alive). */
  connections: number;
  next: () => RawRequest;
}

export interface PacedResult {
  sent: number;
  completed: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** The generator's own event-loop delay over the run. */
  generatorLoopDelay: LoopDelay;
}

/** Calls `op` at evenly spaced times whatever it does; each latency counts from when its call was due. */
export async function atFixedRate(
  ratePerSecond: number,
  seconds: number,
  op: () => Promise<void>,
): Promise<{ sent: number; latencies: number[]; elapsedSeconds: number; loopDelay: LoopDelay }> {
  // The generator's own event-loop delay: how late it may have sent or timed a request.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const call = (due: number) => {
    const done = op().then(() => {
      latencies.push(performance.now() - due);
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const interval = 1000 / ratePerSecond;
  const total = Math.round(ratePerSecond * seconds);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) call(start + interval * sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  delay.disable();
  latencies.sort((a, b) => a - b);
  const loopDelay = { p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
  return { sent, latencies, elapsedSeconds: (performance.now() - start) / 1000, loopDelay };
}

/** Event-loop delay over a run (monitorEventLoopDelay), in milliseconds. */
export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

/** The latency at quantile q of sorted latencies. */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export async function paced(options: PacedOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const base = new URL(options.url);
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const request = () =>
    new Promise<void>((resolve) => {
      const r = options.next();
      // autocannon writes Content-Length into the header objects it is given: never trust one passed in.
      const headers = Object.fromEntries(Object.entries(r.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-length'));
      if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
      const req = http.request(
        { host: base.hostname, port: base.port, agent, method: r.method ?? 'GET', path: r.path ?? base.pathname, headers },
        (res) => {
          res.resume();
          res.on('end', () => {
            statusCodes[res.statusCode ?? 0] = (statusCodes[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });
  const { sent, latencies, elapsedSeconds, loopDelay } = await atFixedRate(options.ratePerSecond, options.seconds, request);
  agent.destroy();
  const ok = Object.entries(statusCodes).filter(([code]) => code.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const answered = Object.values(statusCodes).reduce((n, c) => n + c, 0);
  return {
    sent,
    completed: answered,
    reqPerSec: answered / elapsedSeconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? 0,
    non2xx: answered - ok,
    errors,
    statusCodes,
    generatorLoopDelay: loopDelay,
  };
}
