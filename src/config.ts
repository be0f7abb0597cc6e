import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  lightningBackend: 'embedded' | 'lnd';
  publicUrl: string;
  secretKey: string | undefined;
  publicKey: string | undefined;
  /** Deployment-wide receive/send caps (sats); undefined = unlimited. */
  maxReceiveSats: number | undefined;
  maxSendSats: number | undefined;
  logLevel: string;
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

function keyVar(env: Env, name: string, prefix: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!new RegExp(`^${prefix}[A-Za-z0-9]{16,64}$`).test(raw)) {
    throw new ConfigError(name, `must be "${prefix}" followed by 16 to 64 letters or digits`);
  }
  return raw;
}

/** Reads and validates the environment once; a bad value names its variable. */
export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = intVar(env, 'PORT', 0, 65535) ?? 8080;
  const backend = env.LIGHTNING_BACKEND || 'embedded';
  if (backend !== 'embedded' && backend !== 'lnd') {
    throw new ConfigError('LIGHTNING_BACKEND', `must be "embedded" or "lnd", got "${backend}"`);
  }
  if (backend === 'lnd') {
    throw new ConfigError('LIGHTNING_BACKEND', 'lnd is not available in this version yet; use "embedded"');
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
    publicUrl,
    secretKey: keyVar(env, 'LNPAYD_SECRET_KEY', 'sak_'),
    publicKey: keyVar(env, 'LNPAYD_PUBLIC_KEY', 'pak_'),
    maxReceiveSats: intVar(env, 'MAX_RECEIVE_SATS', 1, Number.MAX_SAFE_INTEGER),
    maxSendSats: intVar(env, 'MAX_SEND_SATS', 1, Number.MAX_SAFE_INTEGER),
    logLevel,
  };
}
