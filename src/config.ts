import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  lightningBackend: 'embedded' | 'lnd';
  /** Set when lightningBackend is 'lnd'. */
  lnd: LndConfig | undefined;
  publicUrl: string;
  secretKey: string | undefined;
  publicKey: string | undefined;
  /** Deployment-wide receive/send caps (sats); undefined = unlimited. */
  maxReceiveSats: number | undefined;
  maxSendSats: number | undefined;
  logLevel: string;
  webhooks: WebhookConfig;
  /** How often the server runs the invariant check; 0 = never. */
  invariantCheckMs: number;
  /** Unset: /metrics is open. */
  metricsToken: string | undefined;
  rateLimit: RateLimitConfig;
  http: HttpLimits;
}

export interface RateLimitConfig {
  /** Requests per window per API key (counted by its hash); undefined = no limit. */
  perKey: number | undefined;
  /** Requests per window per client address; undefined = no limit. */
  perIp: number | undefined;
  windowMs: number;
}

export interface HttpLimits {
  maxHeaderBytes: number;
  /** Whole request, headers and body, must arrive within this; slower → 408. */
  requestTimeoutMs: number;
  /** On SIGTERM/SIGINT, requests in flight get this long to finish before their connections are cut. */
  shutdownTimeoutMs: number;
}

export interface WebhookConfig {
  /** Whole-request limit of one delivery attempt. */
  timeoutMs: number;
  /** First retry delay; each later one is 3× the previous (±20 % jitter), capped at retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** false refuses targets that are or resolve to loopback, private, link-local or other non-public addresses. */
  allowPrivateTargets: boolean;
  /** How often the worker looks for due deliveries. */
  pollMs: number;
  /** Attempts in flight at once in this process. */
  concurrency: number;
}

export interface LndConfig {
  url: string;
  macaroonHex: string;
  /** PEM; undefined trusts the system CAs (a node behind a public certificate, e.g. Voltage). */
  tlsCert: Buffer | undefined;
  network: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${raw}`);
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(name, `must be 1, 0, true or false, got "${raw}"`);
}

function keyVar(env: Env, name: string, prefix: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!new RegExp(`^${prefix}[A-Za-z0-9]{16,64}$`).test(raw)) {
    throw new ConfigError(name, `must be "${prefix}" followed by 16 to 64 letters or digits`);
  }
  return raw;
}

function readVarFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(name, `names a file that cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${path}`);
  }
}

const LND_NETWORKS = ['mainnet', 'testnet', 'testnet4', 'signet', 'regtest', 'simnet'];

function lndConfig(env: Env): LndConfig {
  const raw = env.LND_REST_URL;
  let url: URL;
  try {
    url = new URL(raw ?? '');
  } catch {
    throw new ConfigError('LND_REST_URL', `must be the https:// URL of LND's REST API, got "${raw ?? ''}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('LND_REST_URL', `must be an http(s) URL, got "${raw}"`);
  }
  const macaroon = env.LND_MACAROON ?? '';
  if (macaroon === '') throw new ConfigError('LND_MACAROON', 'must be set: the macaroon as hex, or the path of the .macaroon file');
  const macaroonHex = /^([0-9a-fA-F]{2}){16,}$/.test(macaroon)
    ? macaroon.toLowerCase()
    : readVarFile('LND_MACAROON', macaroon).toString('hex');
  const certPath = env.LND_TLS_CERT || undefined;
  const tlsCert = certPath === undefined ? undefined : readVarFile('LND_TLS_CERT', certPath);
  if (tlsCert && !tlsCert.toString('utf8').includes('BEGIN CERTIFICATE')) {
    throw new ConfigError('LND_TLS_CERT', `must be a PEM certificate file (tls.cert), got ${certPath}`);
  }
  const network = env.LND_NETWORK || 'mainnet';
  if (!LND_NETWORKS.includes(network)) throw new ConfigError('LND_NETWORK', `must be one of ${LND_NETWORKS.join(', ')}, got "${network}"`);
  return { url: url.origin + url.pathname.replace(/\/+$/, ''), macaroonHex, tlsCert, network };
}

/** Reads and validates the environment once; a bad value names its variable. */
export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = intVar(env, 'PORT', 0, 65535) ?? 8080;
  const backend = env.LIGHTNING_BACKEND || 'embedded';
  if (backend !== 'embedded' && backend !== 'lnd') {
    throw new ConfigError('LIGHTNING_BACKEND', `must be "embedded" or "lnd", got "${backend}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  let publicUrl = env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    publicUrl = url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an absolute http(s) URL, got "${publicUrl}"`);
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  return {
    host,
    port,
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl,
    lightningBackend: backend,
    lnd: backend === 'lnd' ? lndConfig(env) : undefined,
    publicUrl,
    secretKey: keyVar(env, 'LNPAYD_SECRET_KEY', 'sak_'),
    publicKey: keyVar(env, 'LNPAYD_PUBLIC_KEY', 'pak_'),
    maxReceiveSats: intVar(env, 'MAX_RECEIVE_SATS', 1, Number.MAX_SAFE_INTEGER),
    maxSendSats: intVar(env, 'MAX_SEND_SATS', 1, Number.MAX_SAFE_INTEGER),
    logLevel,
    webhooks: {
      timeoutMs: intVar(env, 'WEBHOOK_TIMEOUT_MS', 100, 120_000) ?? 10_000,
      retryBaseMs: intVar(env, 'WEBHOOK_RETRY_BASE_MS', 1, 86_400_000) ?? 60_000,
      retryMaxMs: intVar(env, 'WEBHOOK_RETRY_MAX_MS', 1, 7 * 86_400_000) ?? 6 * 3_600_000,
      maxAttempts: intVar(env, 'WEBHOOK_MAX_ATTEMPTS', 1, 100) ?? 10,
      allowPrivateTargets: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', true),
      pollMs: intVar(env, 'WEBHOOK_POLL_MS', 10, 60_000) ?? 500,
      concurrency: intVar(env, 'WEBHOOK_CONCURRENCY', 1, 256) ?? 16,
    },
    invariantCheckMs: intVar(env, 'INVARIANT_CHECK_MS', 0, 86_400_000) ?? 300_000,
    metricsToken: env.METRICS_TOKEN || undefined,
    rateLimit: {
      perKey: intVar(env, 'RATE_LIMIT_PER_KEY', 1, 1_000_000_000),
      perIp: intVar(env, 'RATE_LIMIT_PER_IP', 1, 1_000_000_000),
      windowMs: intVar(env, 'RATE_LIMIT_WINDOW_MS', 1000, 86_400_000) ?? 60_000,
    },
    http: {
      maxHeaderBytes: intVar(env, 'MAX_HEADER_BYTES', 1024, 1_048_576) ?? 16_384,
      requestTimeoutMs: intVar(env, 'REQUEST_TIMEOUT_MS', 100, 3_600_000) ?? 30_000,
      shutdownTimeoutMs: intVar(env, 'SHUTDOWN_TIMEOUT_MS', 0, 3_600_000) ?? 10_000,
    },
  };
}
