import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashKey } from '../access/keys.ts';
import { Errors } from '../errors.ts';
import { type ApiRole, findApiKeyRole } from '../store/apiKeys.ts';
import type { Queryable } from '../store/db.ts';
import { TtlCache } from '../lib/ttlCache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: ApiRole;
  }
  interface FastifyContextConfig {
    /** 'key': sak_ or pak_; 'sak': secret key only; 'none': public route. Default: 'key' under /v1/, else 'none'. */
    auth?: 'none' | 'key' | 'sak';
  }
}

/**
 * LNPay's order: X-Api-Key header, then ?access-token=, then HTTP Basic
 * username. The first credential present decides; a bad one is never
 * followed by another.
 */
export function extractCredential(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (header !== undefined) return Array.isArray(header) ? (header[0] ?? '') : header;
  const token = (request.query as Record<string, unknown> | undefined)?.['access-token'];
  if (token !== undefined) return typeof token === 'string' ? token : '';
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    return decoded.split(':', 1)[0] ?? '';
  }
  return undefined;
}

/** How long a verified API key is trusted without asking the database again. */
const API_KEY_TTL_MS = 10_000;

/** Only sak_/pak_ keys are API keys (LNPay also let wallet keys in; we do not). */
export function registerAuth(app: FastifyInstance, db: Queryable): void {
  // Only found keys are remembered (by hash), so unknown keys cannot fill the cache.
  const roles = new TtlCache<string, ApiRole>(API_KEY_TTL_MS);
  app.decorateRequest('caller', 'pak');
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config.auth ?? (request.routeOptions.url?.startsWith('/v1/') ? 'key' : 'none');
    if (mode === 'none' || request.method === 'OPTIONS') return;
    const key = extractCredential(request);
    if (!key || !/^(sak|pak)_[A-Za-z0-9]{1,64}$/.test(key)) throw Errors.invalidCredentials();
    const hash = hashKey(key);
    let role = roles.get(hash);
    if (!role) {
      role = await findApiKeyRole(db, hash);
      if (!role) throw Errors.invalidCredentials();
      roles.set(hash, role);
    }
    if (mode === 'sak' && role !== 'sak') throw Errors.secretKeyOnly();
    request.caller = role;
  });
}
