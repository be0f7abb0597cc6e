import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ServiceContext } from '../../services/context.ts';
import { sandboxPay } from '../../services/sandboxPay.ts';
import { LntxSchema, errorResponses } from '../schemas.ts';

/** Money from "outside" for the embedded node; absent (404) on a real node. */
export const sandboxRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/sandbox/pay',
    {
      config: { auth: 'sak' },
      schema: {
        summary: 'Embedded node only: pay one of our invoices as if from outside the node',
        body: Type.Object({ payment_request: Type.String({ minLength: 1, maxLength: 7089 }) }),
        response: { 200: LntxSchema, ...errorResponses },
      },
    },
    async (request) => sandboxPay(ctx, request.body.payment_request),
  );
};
