import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false on hand-built replies, where LNPay ignored ?fields= */
    fields?: boolean;
  }
}

function pick(value: unknown, keys: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, keys));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => keys.has(k)));
}

/** `?fields=a,b` keeps only those top-level keys of a model or list reply. */
export function registerFieldsFilter(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const fields = (request.query as Record<string, unknown> | undefined)?.fields;
    if (typeof fields !== 'string' || fields === '' || request.routeOptions.config.fields === false) return payload;
    if (reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    const keys = new Set(fields.split(',').map((f) => f.trim()));
    return JSON.stringify(pick(JSON.parse(payload), keys));
  });
}
