import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { keysend } from '../../services/keysend.ts';
import { payInvoice } from '../../services/payInvoice.ts';
import { resolveWalletRef } from '../../services/walletAccess.ts';
import { idempotencyOf } from '../idempotency.ts';
import { parsePassThru } from '../passThru.ts';
import { ErrorSchema, WalletKeyParams, WtxSchema, errorResponses } from '../schemas.ts';
import { MAX_SATOSHIS } from './invoices.ts';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'Same key + same body within 24 h → the first answer, nothing moves again' })),
});

const paymentResponses = { 201: WtxSchema, 202: ErrorSchema, 409: ErrorSchema, 422: ErrorSchema, ...errorResponses };

/** Custom records: TLV type (decimal string) → string value; object values are JSON-encoded as LNPay did. */
export function parseCustomRecords(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw Errors.validation('Custom Records is invalid.');
  const out: Record<string, string> = {};
  for (const [type, v] of Object.entries(value)) {
    if (!/^\d{1,20}$/.test(type) || BigInt(type) < 65536n) {
      throw Errors.validation(`Custom Records is invalid: TLV type ${type} is not a custom record type (>= 65536).`);
    }
    out[type] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export const paymentRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/wallet/:wallet_key/withdraw',
    {
      config: { fields: false },
      schema: {
        summary: 'Pay a BOLT11 invoice from this wallet (internal invoices settle without the node)',
        params: WalletKeyParams,
        headers: IdempotencyHeaders,
        body: Type.Object({
          payment_request: Type.String({ minLength: 1, maxLength: 7089 }),
          fee_limit_msat: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
          passThru: Type.Optional(Type.Unknown()),
        }),
        response: paymentResponses,
      },
    },
    async (request, reply) => {
      const passThru = parsePassThru(request.body.passThru);
      const wallet = await resolveWalletRef(ctx, request.caller, request.params.wallet_key, 'wallet_withdraw');
      const wtx = await payInvoice(ctx, {
        wallet,
        paymentRequest: request.body.payment_request.trim(),
        feeLimitMsat: request.body.fee_limit_msat,
        passThru,
        idempotency: idempotencyOf(request),
      });
      return reply.code(201).send(wtx);
    },
  );

  app.post(
    '/v1/wallet/:wallet_key/keysend',
    {
      config: { fields: false },
      schema: {
        summary: 'Send sats to a node by public key (keysend)',
        params: WalletKeyParams,
        headers: IdempotencyHeaders,
        body: Type.Object({
          dest_pubkey: Type.String(),
          num_satoshis: Type.Integer({ minimum: 1, maximum: MAX_SATOSHIS }),
          fee_limit_msat: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
          custom_records: Type.Optional(Type.Unknown()),
          passThru: Type.Optional(Type.Unknown()),
        }),
        response: paymentResponses,
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.dest_pubkey.length !== 66) throw Errors.validation('Dest Pubkey should contain 66 characters.');
      if (!/^0[23][0-9a-fA-F]{64}$/.test(body.dest_pubkey)) throw Errors.validation('Dest Pubkey is invalid.');
      const passThru = parsePassThru(body.passThru);
      const customRecords = parseCustomRecords(body.custom_records);
      const wallet = await resolveWalletRef(ctx, request.caller, request.params.wallet_key, 'wallet_withdraw');
      const wtx = await keysend(ctx, {
        wallet,
        destPubkey: body.dest_pubkey.toLowerCase(),
        numSatoshis: body.num_satoshis,
        feeLimitMsat: body.fee_limit_msat,
        customRecords,
        passThru,
        idempotency: idempotencyOf(request),
      });
      return reply.code(201).send(wtx);
    },
  );
};
