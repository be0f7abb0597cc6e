import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorSchema } from './schemas.ts';

/** Any request can be refused before its handler: headers too large, too slow to arrive, over a rate limit. */
const REQUEST_ERRORS = { 408: ErrorSchema, 429: ErrorSchema, 431: ErrorSchema };
/** Every route that takes a body can be refused before its handler: too large, or not JSON/form data. */
const BODY_ERRORS = { ...REQUEST_ERRORS, 413: ErrorSchema, 415: ErrorSchema };

/**
 * The OpenAPI document is generated from the route schemas (register this
 * before the routes) and served at /openapi.json, with a docs page at /docs
 * whose assets come from the installed package, not a CDN.
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'lnpayd',
        version: '0.1.0',
        description:
          'Self-hosted Lightning payments API speaking the LNPay v1 wire format. Errors: ' +
          '`{"name","message","code":0,"status"}`. Wallet access keys go in the path.',
        license: { name: 'MIT' },
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          apiKeyQuery: { type: 'apiKey', in: 'query', name: 'access-token' },
          basic: { type: 'http', scheme: 'basic', description: 'the key as username, empty password' },
        },
      },
      security: [{ apiKeyHeader: [] }, { apiKeyQuery: [] }, { basic: [] }],
    },
  });
  app.addHook('onRoute', (route) => {
    if (!route.schema) return;
    const common = route.schema.body ? BODY_ERRORS : REQUEST_ERRORS;
    route.schema = { ...route.schema, response: { ...common, ...(route.schema.response as object | undefined) } };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
