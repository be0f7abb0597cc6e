import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ServiceContext } from '../../services/context.ts';
import { checkHealth } from '../../services/checkHealth.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Database and Lightning backend reachability',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: Type.Object({ status: Type.Literal('unavailable'), failing: Type.Array(Type.String()) }),
        },
      },
    },
    async (_request, reply) => {
      const failing = await checkHealth(ctx);
      return failing.length === 0
        ? { status: 'ok' as const }
        : reply.code(503).send({ status: 'unavailable' as const, failing });
    },
  );
};
