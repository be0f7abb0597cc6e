import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { HttpLimits, RateLimitConfig } from '../config.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import { ApiError, Errors, errorBody } from '../errors.ts';
import { lnurlSite } from '../lnurl/site.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ServiceContext } from '../services/context.ts';
import { registerAuth } from './auth.ts';
import { answerClientError } from './clientErrors.ts';
import { registerFieldsFilter } from './fields.ts';
import { registerHttpMetrics } from './httpMetrics.ts';
import { nestsDeeperThan } from './jsonDepth.ts';
import { rejectNulBytes } from './nulBytes.ts';
import { registerOpenApi } from './openapi.ts';
import { registerRateLimits } from './rateLimit.ts';
import { healthRoutes } from './routes/health.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { lntxRoutes } from './routes/lntx.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { lnurlPayRoutes } from './routes/lnurlPay.ts';
import { lnurlPayPublicRoutes } from './routes/lnurlPayPublic.ts';
import { lnurlWithdrawRoutes } from './routes/lnurlWithdraw.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { paymentRoutes } from './routes/payments.ts';
import { sandboxRoutes } from './routes/sandbox.ts';
import { transferRoutes } from './routes/transfers.ts';
import { walletRoutes } from './routes/wallets.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { coerceIntegerStrings, validationError } from './validation.ts';

export interface ApiOptions {
  ctx: ServiceContext;
  publicUrl: string;
  logger: Logger;
  metrics: Metrics;
  metricsToken: string | undefined;
  rateLimit: RateLimitConfig;
  http: HttpLimits;
}

/** Deeper bodies are refused before parsing: no LNPay request nests beyond a few levels. */
const MAX_JSON_DEPTH = 32;

/** Builds the HTTP API: LNPay's wire format over the services. */
export async function buildApi({ ctx, publicUrl, logger, metrics, metricsToken, rateLimit, http }: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    schemaErrorFormatter: validationError,
    bodyLimit: 64 * 1024,
    // Node's connection checker takes the request timeout when the server is created, not from the property set later.
    http: {
      maxHeaderSize: http.maxHeaderBytes,
      requestTimeout: http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, http.requestTimeoutMs),
    },
    requestTimeout: http.requestTimeoutMs,
    clientErrorHandler: answerClientError,
    // While draining, a request that reached us on an open connection is served (with Connection: close), not refused with 503.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Only JSON and form posts carry a body; anything else is refused with 415 rather than guessed at.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return done(Errors.jsonTooDeep(MAX_JSON_DEPTH), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(Errors.invalidJson((err as Error).message), undefined);
    }
  });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(cors, {
    origin: '*',
    maxAge: 86400,
    exposedHeaders: [
      'X-Pagination-Total-Count',
      'X-Pagination-Page-Count',
      'X-Pagination-Current-Page',
      'X-Pagination-Per-Page',
      'Link',
    ],
  });

  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema;
    rejectNulBytes(schema?.querystring, request.query);
    rejectNulBytes(schema?.body, request.body);
    coerceIntegerStrings(schema?.body, request.body);
  });
  registerHttpMetrics(app, metrics);
  await registerRateLimits(app, rateLimit);
  registerAuth(app, ctx.db);
  registerFieldsFilter(app);

  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    const known = toApiError(err, String(request.headers['content-type'] ?? ''));
    if (!known) request.log.error({ err }, 'unhandled error');
    const apiError = known ?? Errors.internal();
    return reply
      .code(apiError.status)
      .headers(apiError.headers)
      .type('application/json; charset=UTF-8')
      .send(apiError.body ?? errorBody(apiError.status, apiError.message));
  });
  app.setNotFoundHandler((_request, reply) => {
    const e = Errors.routeNotFound();
    return reply.code(404).send(errorBody(404, e.message));
  });

  await registerOpenApi(app, publicUrl);
  await app.register(healthRoutes, { ctx });
  await app.register(metricsRoutes, { metrics, token: metricsToken });
  await app.register(walletRoutes, { ctx, publicUrl });
  await app.register(invoiceRoutes, { ctx });
  await app.register(lntxRoutes, { ctx });
  await app.register(paymentRoutes, { ctx });
  await app.register(transferRoutes, { ctx });
  const site = lnurlSite(publicUrl);
  await app.register(lnurlWithdrawRoutes, { ctx, site });
  await app.register(lnurlPayRoutes, { ctx, site });
  await app.register(lnurlPayPublicRoutes, { ctx, site });
  await app.register(nodeRoutes, { ctx, publicUrl });
  await app.register(webhookRoutes, { ctx, publicUrl });
  if (ctx.lightning.sandbox) await app.register(sandboxRoutes, { ctx });
  await app.register(dashboardRoutes, { sandbox: ctx.lightning.sandbox !== undefined });
  return app;
}

/** Framework errors that are the client's fault keep their status, in LNPay's shape. */
function toApiError(err: FastifyError | ApiError, contentType: string): ApiError | undefined {
  if (err instanceof ApiError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return Errors.unsupportedMediaType(contentType);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return Errors.bodyTooLarge();
  }
  const status = err.statusCode ?? 500;
  return status >= 400 && status < 500 ? new ApiError(status, err.message) : undefined;
}
