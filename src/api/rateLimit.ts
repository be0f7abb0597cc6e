import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashKey } from '../access/keys.ts';
import type { RateLimitConfig } from '../config.ts';
import { Errors } from '../errors.ts';
import { extractCredential } from './auth.ts';

/** Probes and scrapes must keep working while clients are throttled. */
const EXEMPT = new Set(['/health', '/metrics']);

/**
 * Per API key (counted under the key's hash, so the key itself is never
 * stored or logged) and per client address, in this process's memory.
 * Runs before authentication, so a throttled caller costs no database work.
 */
export async function registerRateLimits(app: FastifyInstance, config: RateLimitConfig): Promise<void> {
  if (config.perKey === undefined && config.perIp === undefined) return;
  await app.register(rateLimit, { global: false, timeWindow: config.windowMs });
  const limits: ((request: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>)[] = [];
  if (config.perKey !== undefined) {
    limits.push(
      app.createRateLimit({
        max: config.perKey,
        keyGenerator: (request) => `key:${hashKey(extractCredential(request) ?? '')}`,
        allowList: (request) => extractCredential(request) === undefined,
      }),
    );
  }
  if (config.perIp !== undefined) {
    limits.push(app.createRateLimit({ max: config.perIp, keyGenerator: (request) => `ip:${request.ip}` }));
  }
  app.addHook('onRequest', async (request) => {
    if (EXEMPT.has(request.routeOptions.url ?? '')) return;
    for (const limit of limits) {
      const verdict = await limit(request);
      if (!verdict.isAllowed && verdict.isExceeded) throw Errors.rateLimited(verdict.ttlInSeconds ?? 1);
    }
  });
}
