import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ServiceContext } from '../../services/context.ts';
import { sandboxInvoice } from '../../services/sandboxInvoice.ts';
import { sandboxPay } from '../../services/sandboxPay.ts';
import { LntxSchema, errorResponses } from '../schemas.ts';
import { MAX_SATOSHIS, parseDescriptionHash } from './invoices.ts';

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

  app.post(
    '/v1/sandbox/invoice',
    {
      config: { auth: 'sak' },
      schema: {
        summary: 'Embedded node only: an invoice of a simulated outside node that our wallets can pay',
        body: Type.Object({
          num_satoshis: Type.Integer({ minimum: 1, maximum: MAX_SATOSHIS }),
          memo: Type.Optional(Type.String({ maxLength: 255 })),
          description_hash: Type.Optional(Type.String({ description: 'as on invoices: the invoice commits to it instead of the memo' })),
          hold_seconds: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 3600, description: 'the outside node holds a payment this long' }),
          ),
          fail: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '1: the outside node fails the payment' })),
        }),
        response: {
          201: Type.Object({
            payment_request: Type.String(),
            r_hash_decoded: Type.String(),
            num_satoshis: Type.Integer(),
            memo: Type.String(),
            dest_pubkey: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const invoice = await sandboxInvoice(ctx, {
        numSatoshis: request.body.num_satoshis,
        memo: request.body.memo ?? '',
        descriptionHash: request.body.description_hash ? parseDescriptionHash(request.body.description_hash) : undefined,
        holdSeconds: request.body.hold_seconds ?? 0,
        fails: request.body.fail === 1,
      });
      return reply.code(201).send(invoice);
    },
  );
};
