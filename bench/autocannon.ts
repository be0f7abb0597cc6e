/** Typed access to autocannon (a CommonJS package without type declarations). */
import { createRequire } from 'node:module';

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds. */
  duration?: number;
  /** Stop after this many requests (overrides duration). */
  amount?: number;
  /**
   * Milliseconds between autocannon's samples (default 1000). A run ends at the
   * first sample after its last request, so with `amount` this is the
   * resolution of its duration.
   */
  sampleInt?: number;
  /** Requests per second offered by all connections together. */
  overallRate?: number;
  /** Varies each request (e.g. a different wallet or invoice each time). */
  requests?: { setupRequest: (request: RawRequest) => RawRequest }[];
  warmup?: { connections: number; duration: number };
}

export interface LoadResult {
  /** Per-second samples of completed requests. */
  requests: { average: number; total: number };
  /** Milliseconds. */
  latency: { p50: number; p99: number; average: number; max: number };
  /** Seconds, to 10 ms. */
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: LoadOptions) => Promise<LoadResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export function load(options: LoadOptions): Promise<LoadResult> {
  return autocannon(options);
}
