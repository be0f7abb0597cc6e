/**
 * lnpayd over HTTP with real auth, one scenario at a time against one running
 * server: invoice creation, internal payments (invoices of other wallets, and
 * transfers between many wallet pairs or all from one hot wallet), reads, and
 * latency at a fixed offered load.
 */
import { type LoadOptions, type LoadResult, type RawRequest, load } from './autocannon.ts';
import { type CpuPerOp, type CpuSources, sampleCpu } from './cpu.ts';
import { ACCOUNTS } from './baselines.ts';
import { type LoopDelay, OFFERED_RATE, paced } from './paced.ts';

export interface HttpResult {
  name: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** CPU milliseconds per request, by process (lnpayd, its database's backends, the load generator). */
  cpuMsPerRequest?: CpuPerOp;
  /** For the fixed offered load: how late each side's event loop ran, to place a latency tail. */
  loopDelay?: { lnpayd: LoopDelay; generator: LoopDelay };
}

export interface Target {
  url: string;
  secretKey: string;
  publicKey: string;
  /** What to sample the CPU of around each measurement. */
  cpu: CpuSources;
}

interface BenchWallet {
  id: string;
  admin: string;
  invoice: string;
  read: string;
}

export interface LoadPlan {
  seconds: number;
  connections: number;
  warmupSeconds: number;
}

async function call(target: Target, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(target.url + path, {
    method,
    headers: { 'x-api-key': target.secretKey, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Runs `fn` over `items` with at most `width` in flight. */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

export async function createFundedWallets(target: Target, count: number, sats: number): Promise<BenchWallet[]> {
  return pool(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    const w = await call(target, 'POST', '/v1/wallet', { user_label: `bench ${i}` });
    const invoice = await call(target, 'POST', `/v1/wallet/${w.id}/invoice`, { num_satoshis: sats });
    await call(target, 'POST', '/v1/sandbox/pay', { payment_request: invoice.payment_request });
    const keys = w.access_keys;
    return { id: w.id, admin: keys['Wallet Admin'][0], invoice: keys['Wallet Invoice'][0], read: keys['Wallet Read'][0] };
  });
}

export function summarize(name: string, r: LoadResult, cpuMsPerRequest?: CpuPerOp): HttpResult {
  return {
    name,
    // Completed over elapsed. A run of a fixed number of requests ends at autocannon's next
    // sample, so it samples every 50 ms: with the default second, 3,000 requests done in
    // 4.3 s read as 600/s (and its per-second average as 750/s).
    reqPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    ...(cpuMsPerRequest ? { cpuMsPerRequest } : {}),
  };
}

/** The fixed offered load at which latency is measured. */

const pickOther = (n: number, not: number) => {
  const i = Math.floor(Math.random() * (n - 1));
  return i >= not ? i + 1 : i;
};

/**
 * lnpayd's event-loop delay since the previous call, from prom-client's default metrics on
 * /metrics (monitorEventLoopDelay at 10 ms resolution, reset at each scrape).
 */
async function lnpaydLoopDelay(url: string): Promise<LoopDelay> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const seconds = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { p99Ms: seconds('nodejs_eventloop_lag_p99_seconds') * 1000, maxMs: seconds('nodejs_eventloop_lag_max_seconds') * 1000 };
}

export async function runScenarios(target: Target, plan: LoadPlan, label: string): Promise<HttpResult[]> {
  // As many wallets as the debit baseline has accounts, so that lock contention is alike.
  const wallets = await createFundedWallets(target, ACCOUNTS, 100_000_000);
  const [hot] = wallets as [BenchWallet];
  const authed = { 'x-api-key': target.publicKey, 'content-type': 'application/json' };
  // The warm-up runs on its own, so that the CPU sample covers the measured requests alone.
  const run = async (name: string, options: Omit<LoadOptions, 'connections'> & { connections?: number }) => {
    console.log(`    ${name} …`);
    if (!options.amount) await load({ connections: plan.connections, ...options, duration: plan.warmupSeconds });
    const cpuPerRequest = sampleCpu(target.cpu);
    const r = await load({
      connections: plan.connections,
      ...(options.amount ? { sampleInt: 50 } : { duration: plan.seconds }),
      ...options,
    });
    return summarize(`${label}: ${name}`, r, cpuPerRequest(r.requests.total));
  };
  // Fixed offered load: paced, open loop (see paced.ts), CPU sampled around it like the rest.
  const runPaced = async (name: string, next: () => RawRequest) => {
    console.log(`    ${name} …`);
    await paced({ url: target.url, ratePerSecond: OFFERED_RATE, seconds: plan.warmupSeconds, connections: plan.connections, next });
    await lnpaydLoopDelay(target.url);
    const cpuPerRequest = sampleCpu(target.cpu);
    const r = await paced({ url: target.url, ratePerSecond: OFFERED_RATE, seconds: plan.seconds, connections: plan.connections, next });
    const cpuMsPerRequest = cpuPerRequest(r.completed);
    const { sent: _, completed, generatorLoopDelay, ...figures } = r;
    const loopDelay = { lnpayd: await lnpaydLoopDelay(target.url), generator: generatorLoopDelay };
    return { name: `${label}: ${name}`, ...figures, requests: completed, cpuMsPerRequest, loopDelay };
  };
  const varying = (setup: () => RawRequest) => [{ setupRequest: (request: RawRequest) => ({ ...request, ...setup() }) }];
  const transferRequest = (src: () => number) => (): RawRequest => {
    const s = src();
    const d = pickOther(wallets.length, s);
    return {
      method: 'POST',
      path: `/v1/wallet/${wallets[s]?.admin}/transfer`,
      headers: authed,
      body: JSON.stringify({ dest_wallet_id: wallets[d]?.id, num_satoshis: 1 }),
    };
  };
  const transferFrom = (src: () => number) => varying(transferRequest(src));
  const anyWallet = () => Math.floor(Math.random() * wallets.length);
  const results: HttpResult[] = [];
  const invoiceOptions = {
    url: `${target.url}/v1/wallet/${hot.invoice}/invoice`,
    method: 'POST' as const,
    headers: authed,
    body: JSON.stringify({ num_satoshis: 5, memo: 'bench' }),
  };
  results.push(await run('create invoice', invoiceOptions));

  const payable = await pool(Array.from({ length: Math.min(3000, Math.max(500, results[0]!.reqPerSec * plan.seconds)) }, (_, i) => i), 16, async (i) => {
    const payee = 1 + (i % (wallets.length - 1));
    const inv = await call(target, 'POST', `/v1/wallet/${wallets[payee]?.invoice}/invoice`, { num_satoshis: 1 });
    return { payee, pr: inv.payment_request as string };
  });
  let nextInvoice = 0;
  results.push(
    await run('pay internal invoice, many wallet pairs', {
      url: target.url,
      amount: payable.length,
      requests: varying(() => {
        const { payee, pr } = payable[nextInvoice++ % payable.length]!;
        return {
          method: 'POST',
          path: `/v1/wallet/${wallets[pickOther(wallets.length, payee)]?.admin}/withdraw`,
          headers: authed,
          body: JSON.stringify({ payment_request: pr }),
        };
      }),
    }),
  );
  results.push(await run('transfer, many wallet pairs', { url: target.url, requests: transferFrom(anyWallet) }));
  results.push(await run('transfer, all from one hot wallet', { url: target.url, requests: transferFrom(() => 0) }));
  const reader = { 'x-api-key': target.publicKey };
  results.push(await run('read wallet', { url: `${target.url}/v1/wallet/${hot.read}`, headers: reader }));
  const lntx = await call(target, 'POST', `/v1/wallet/${hot.invoice}/invoice`, { num_satoshis: 1 });
  results.push(await run('read lntx', { url: `${target.url}/v1/lntx/${lntx.id}`, headers: reader }));
  const invoicePath = new URL(invoiceOptions.url).pathname;
  results.push(
    await runPaced(`create invoice at ${OFFERED_RATE} req/s offered`, () => ({ ...invoiceOptions, path: invoicePath })),
  );
  results.push(await runPaced(`transfer at ${OFFERED_RATE} req/s offered`, transferRequest(anyWallet)));
  return results;
}
