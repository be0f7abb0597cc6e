import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { transfer } from '../../services/transfer.ts';
import { resolveWalletRef } from '../../services/walletAccess.ts';
import { idempotencyOf } from '../idempotency.ts';
import { parsePassThru } from '../passThru.ts';
import { ErrorSchema, WalletKeyParams, WtxSchema, errorResponses } from '../schemas.ts';
import { MAX_SATOSHIS } from './invoices.ts';

export const transferRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/wallet/:wallet_key/transfer',
    {
      config: { fields: false },
      schema: {
        summary: 'Move sats to another wallet of this node',
        params: WalletKeyParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object({
          dest_wallet_id: Type.String({ minLength: 1 }),
          num_satoshis: Type.Integer({ minimum: 1, maximum: MAX_SATOSHIS }),
          memo: Type.Optional(Type.String({ maxLength: 255 })),
          lnPayParams: Type.Optional(Type.Unknown()),
          passThru: Type.Optional(Type.Unknown()),
        }),
        response: {
          201: Type.Object({ wtx_transfer_in: WtxSchema, wtx_transfer_out: WtxSchema }),
          409: ErrorSchema,
          422: ErrorSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const passThru = parsePassThru(body.passThru, Errors.transferPassThruInvalid);
      const lnPayParams =
        body.lnPayParams === undefined ? null : parsePassThru(body.lnPayParams, Errors.lnPayParamsInvalid);
      const wallet = await resolveWalletRef(ctx, request.caller, request.params.wallet_key, 'wallet_transfer');
      const result = await transfer(ctx, {
        wallet,
        destWalletId: body.dest_wallet_id,
        numSatoshis: body.num_satoshis,
        memo: body.memo ?? null,
        lnPayParams,
        passThru,
        idempotency: idempotencyOf(request),
      });
      return reply.code(201).send(result);
    },
  );
};
