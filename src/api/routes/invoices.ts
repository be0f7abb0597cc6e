import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createInvoice } from '../../services/createInvoice.ts';
import { resolveWalletRef } from '../../services/walletAccess.ts';
import { parsePassThru } from '../passThru.ts';
import { LntxSchema, WalletKeyParams, errorResponses } from '../schemas.ts';

/** Largest amount whose msat value is still an exact JS integer. */
export const MAX_SATOSHIS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
const ONE_YEAR = 365 * 24 * 3600;

/** 64 hex characters, or base64 of 32 bytes (LNPay's docs said base64, its server hex). */
export function parseDescriptionHash(value: string): Uint8Array {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return new Uint8Array(Buffer.from(value, 'hex'));
  if (/^[A-Za-z0-9+/]{43}=$/.test(value) || /^[A-Za-z0-9_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
    if (bytes.length === 32) return new Uint8Array(bytes);
  }
  throw Errors.validation('Description Hash must be 64 hex characters or the base64 encoding of 32 bytes.');
}

export const invoiceRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/wallet/:wallet_key/invoice',
    {
      schema: {
        summary: 'Generate an invoice that credits this wallet when paid',
        params: WalletKeyParams,
        body: Type.Object({
          num_satoshis: Type.Integer({ minimum: 1, maximum: MAX_SATOSHIS }),
          memo: Type.Optional(Type.String({ maxLength: 255 })),
          description_hash: Type.Optional(Type.String()),
          expiry: Type.Optional(Type.Integer({ minimum: 1, maximum: ONE_YEAR, default: 86400 })),
          passThru: Type.Optional(Type.Unknown({ description: 'JSON object, or a string holding one' })),
        }),
        response: { 201: LntxSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const passThru = parsePassThru(body.passThru);
      const descriptionHash = body.description_hash ? parseDescriptionHash(body.description_hash) : null;
      const wallet = await resolveWalletRef(ctx, request.caller, request.params.wallet_key, 'wallet_deposit');
      const lntx = await createInvoice(ctx, {
        wallet,
        numSatoshis: body.num_satoshis,
        memo: body.memo ?? null,
        descriptionHash,
        expirySeconds: body.expiry ?? 86400,
        passThru,
      });
      return reply.code(201).send(lntx);
    },
  );
};
