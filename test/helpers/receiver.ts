import { once } from 'node:events';
import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived (what a signature covers). */
  raw: string;
  body: any;
}

/** Decides the answer to the n-th request (0-based) to a path; default 200. */
export type Responder = (hook: ReceivedHook, n: number, res: ServerResponse) => void;

/** A webhook receiver on 127.0.0.1 that records every request. */
export class Receiver {
  readonly hooks: ReceivedHook[] = [];
  private readonly responders = new Map<string, Responder>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly server: ReturnType<typeof createServer>) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const hook: ReceivedHook = { path: req.url ?? '/', headers: req.headers, raw, body: JSON.parse(raw) };
        const n = receiver.hooks.filter((h) => h.path === hook.path).length;
        receiver.hooks.push(hook);
        for (const wake of receiver.waiters) wake();
        const respond = receiver.responders.get(hook.path) ?? ((_h, _n, r) => r.end('ok'));
        respond(hook, n, res);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  on(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  /** Answers every request to `path` with this status. */
  answer(path: string, status: number, body = ''): void {
    this.on(path, (_hook, _n, res) => {
      res.statusCode = status;
      res.end(body);
    });
  }

  received(path: string): ReceivedHook[] {
    return this.hooks.filter((h) => h.path === path);
  }

  /** Resolves once `count` requests reached `path`; fails after timeoutMs. */
  async waitFor(path: string, count: number, timeoutMs = 10_000): Promise<ReceivedHook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received(path).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${path}: ${this.received(path).length} of ${count} webhooks after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
    return this.received(path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** Polls until check() returns a truthy value. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
