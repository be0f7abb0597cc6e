import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ServiceContext } from '../../services/context.ts';
import { getLntx } from '../../services/getLntx.ts';
import { LntxSchema, errorResponses } from '../schemas.ts';

export const lntxRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/lntx/:lntx_id',
    {
      schema: {
        summary: 'Retrieve an invoice or payment; poll `settled` here',
        params: Type.Object({ lntx_id: Type.String({ pattern: '^\\w+$' }) }),
        response: { 200: LntxSchema, ...errorResponses },
      },
    },
    async (request) => getLntx(ctx, request.params.lntx_id),
  );
};
