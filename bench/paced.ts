/**
 * A fixed offered load, open loop: requests leave at evenly spaced times
 * whatever the server answers, and each latency is counted from the time the
 * request was due, so a server (or generator) that falls behind shows it.
 * autocannon's rate option cannot do this: each connection sends its whole
 * per-second quota at once, so "500 req/s" arrives as bursts.
 */
import http from 'node:http';
import type { RawRequest } from './autocannon.ts';

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
}

export async function paced(options: PacedOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const base = new URL(options.url);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const send = (due: number) => {
    const r = options.next();
    // autocannon writes Content-Length into the header objects it is given: never trust one passed in.
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-length'));
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const done = new Promise<void>((resolve) => {
      const req = http.request(
        { host: base.hostname, port: base.port, agent, method: r.method ?? 'GET', path: r.path ?? base.pathname, headers },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
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
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const interval = 1000 / options.ratePerSecond;
  const total = Math.round(options.ratePerSecond * options.seconds);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + interval * sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const ok = Object.entries(statusCodes).filter(([code]) => code.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  return {
    sent,
    completed: latencies.length,
    reqPerSec: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? 0,
    non2xx: latencies.length - ok,
    errors,
    statusCodes,
  };
}
