import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashKey } from '../access/keys.ts';
import { Errors } from '../errors.ts';
import { type ApiRole, findApiKeyRole } from '../store/apiKeys.ts';
import type { Queryable } from '../store/db.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: ApiRole;
  }
  interface FastifyContextConfig {
    /** 'key': sak_ or pak_; 'sak': secret key only; 'none': public route. */
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

/** Only sak_/pak_ keys are API keys (LNPay also let wallet keys in; we do not). */
export function registerAuth(app: FastifyInstance, db: Queryable): void {
  app.decorateRequest('caller', 'pak');
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config.auth ?? 'key';
    if (mode === 'none' || request.method === 'OPTIONS') return;
    const key = extractCredential(request);
    if (!key || !/^(sak|pak)_[A-Za-z0-9]{1,64}$/.test(key)) throw Errors.invalidCredentials();
    const role = await findApiKeyRole(db, hashKey(key));
    if (!role) throw Errors.invalidCredentials();
    if (mode === 'sak' && role !== 'sak') throw Errors.secretKeyOnly();
    request.caller = role;
  });
}
