import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ServiceContext } from '../../services/context.ts';
import { getWebhookDelivery, listWebhookDeliveries, redeliverWebhook } from '../../services/webhookDeliveries.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
} from '../../services/webhookEndpoints.ts';
import { type PageRule, pageOf, setPageHeaders, sortOf } from '../pagination.ts';
import { errorResponses } from '../schemas.ts';
import {
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveryDetailSchema,
  DeliveryParams,
  DeliverySchema,
  UpdateWebhookBody,
  WebhookParams,
  WebhookSchema,
} from '../webhookSchemas.ts';

const WEBHOOKS_PAGE: PageRule = { defaultSize: 50, maxSize: 50 };
const DELIVERIES_PAGE: PageRule = { defaultSize: 50, maxSize: 500 };

/** lnpayd's own API for the webhooks LNPay configured in its dashboard; secret key only. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext; publicUrl: string }> = async (
  app,
  { ctx, publicUrl },
) => {
  app.post(
    '/v1/webhooks',
    {
      config: { auth: 'sak' },
      schema: { summary: 'Add a webhook endpoint', body: CreateWebhookBody, response: { 201: WebhookSchema, ...errorResponses } },
    },
    async (request, reply) => reply.code(201).send(await createWebhookEndpoint(ctx, request.body)),
  );

  app.get(
    '/v1/webhooks',
    { config: { auth: 'sak' }, schema: { summary: 'List webhook endpoints', response: { 200: Type.Array(WebhookSchema), ...errorResponses } } },
    async (request, reply) => {
      const { rows, total, page } = await listWebhookEndpoints(ctx, sortOf(request), (n) => pageOf(request, WEBHOOKS_PAGE, n));
      setPageHeaders(request, reply, WEBHOOKS_PAGE, page, total, publicUrl);
      return rows;
    },
  );

  app.get(
    '/v1/webhooks/:id',
    { config: { auth: 'sak' }, schema: { summary: 'One webhook endpoint', params: WebhookParams, response: { 200: WebhookSchema, ...errorResponses } } },
    async (request) => getWebhookEndpoint(ctx, request.params.id),
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      config: { auth: 'sak' },
      schema: {
        summary: 'Change url, events, secret, description or active',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookSchema, ...errorResponses },
      },
    },
    async (request) => updateWebhookEndpoint(ctx, request.params.id, request.body),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { auth: 'sak' },
      schema: {
        summary: 'Remove a webhook endpoint and its delivery log',
        params: WebhookParams,
        response: { 204: Type.Null({ description: 'removed' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteWebhookEndpoint(ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { auth: 'sak' },
      schema: {
        summary: "An endpoint's deliveries, newest first",
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: Type.Array(DeliverySchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { rows, total, page } = await listWebhookDeliveries(
        ctx,
        { endpointId: request.params.id, status: request.query.status, sort: sortOf(request) },
        (n) => pageOf(request, DELIVERIES_PAGE, n),
      );
      setPageHeaders(request, reply, DELIVERIES_PAGE, page, total, publicUrl);
      return rows;
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries/:delivery_id',
    {
      config: { auth: 'sak' },
      schema: { summary: 'One delivery with its payload and attempts', params: DeliveryParams, response: { 200: DeliveryDetailSchema, ...errorResponses } },
    },
    async (request) => getWebhookDelivery(ctx, request.params.id, request.params.delivery_id),
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      config: { auth: 'sak' },
      schema: { summary: 'Queue a new attempt now, same envelope', params: DeliveryParams, response: { 202: DeliverySchema, ...errorResponses } },
    },
    async (request, reply) => reply.code(202).send(await redeliverWebhook(ctx, request.params.id, request.params.delivery_id)),
  );
};
