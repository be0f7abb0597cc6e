import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { decodeInvoice } from '../../services/decodeInvoice.ts';
import { checkNodeId, getNode, queryRoutes } from '../../services/nodeInfo.ts';
import { type PageRule, pageOf, setPageHeaders } from '../pagination.ts';
import { errorResponses } from '../schemas.ts';

const NODES_PAGE: PageRule = { defaultSize: 50, maxSize: 50 };
const Protobuf = Type.Object({}, { additionalProperties: true });
const NodeParams = Type.Object({ node_id: Type.String({ pattern: '^\\w+$' }) });

/** Names of the query parameters that are missing or empty, for LNPay's one message. */
function missing(query: Record<string, string | undefined>, names: string[]): void {
  const absent = names.filter((n) => !query[n]);
  if (absent.length > 0) throw Errors.missingParameters(absent);
}

export const nodeRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext; publicUrl: string }> = async (
  app,
  { ctx, publicUrl },
) => {
  app.get(
    '/v1/nodes',
    {
      config: { auth: 'sak' },
      schema: { summary: 'The Lightning node(s) behind this deployment', response: { 200: Type.Array(Protobuf), ...errorResponses } },
    },
    async (request, reply) => {
      const page = pageOf(request, NODES_PAGE, 1);
      setPageHeaders(request, reply, NODES_PAGE, page, 1, publicUrl);
      return page.offset === 0 ? [await getNode(ctx)] : [];
    },
  );

  app.get(
    '/v1/node/:node_id',
    {
      config: { auth: 'sak' },
      schema: { summary: 'One node (lnod_ id or "default")', params: NodeParams, response: { 200: Protobuf, ...errorResponses } },
    },
    async (request) => {
      checkNodeId(ctx, request.params.node_id);
      return getNode(ctx);
    },
  );

  app.get(
    '/v1/node/:node_id/payments/decodeinvoice',
    {
      config: { fields: false },
      schema: {
        summary: 'Decode a BOLT11 invoice (LND PayReq, protobuf-JSON)',
        params: NodeParams,
        querystring: Type.Object({ payment_request: Type.Optional(Type.String({ maxLength: 7089 })) }),
        response: { 200: Protobuf, ...errorResponses },
      },
    },
    async (request) => {
      checkNodeId(ctx, request.params.node_id);
      missing(request.query, ['payment_request']);
      return decodeInvoice(ctx, (request.query.payment_request ?? '').trim());
    },
  );

  app.get(
    '/v1/node/:node_id/payments/queryroutes',
    {
      config: { fields: false },
      schema: {
        summary: 'Routes to a node for an amount in sats (LND QueryRoutes, protobuf-JSON)',
        params: NodeParams,
        querystring: Type.Object({
          pub_key: Type.Optional(Type.String({ maxLength: 66 })),
          amt: Type.Optional(Type.String({ maxLength: 16 })),
        }),
        response: { 200: Protobuf, ...errorResponses },
      },
    },
    async (request) => {
      checkNodeId(ctx, request.params.node_id);
      missing(request.query, ['pub_key', 'amt']);
      const { pub_key: pubKey = '', amt = '' } = request.query;
      if (!/^0[23][0-9a-f]{64}$/i.test(pubKey)) throw Errors.validation('Pub Key is invalid.');
      if (!/^\d+$/.test(amt) || Number(amt) < 1) throw Errors.validation('Amt must be an integer.');
      return queryRoutes(ctx, pubKey.toLowerCase(), Number(amt));
    },
  );
};
