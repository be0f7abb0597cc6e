import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { ApiError, Errors } from '../../errors.ts';
import type { LnurlSite } from '../../lnurl/site.ts';
import type { ServiceContext } from '../../services/context.ts';
import { type LnurlpInput, createLnurlp, getLnurlp } from '../../services/lnurlpLinks.ts';
import { payLnurl } from '../../services/payLnurl.ts';
import { probeLnurl } from '../../services/probeLnurl.ts';
import { updateLnurlp } from '../../services/updateLnurlp.ts';
import { resolveWallet } from '../../services/walletAccess.ts';
import { idempotencyOf } from '../idempotency.ts';
import { ProbedPayRequestSchema } from '../lnurlSchemas.ts';
import { parsePassThru } from '../passThru.ts';
import { ErrorSchema, WalletKeyParams, WtxSchema, errorResponses } from '../schemas.ts';
import { validationError } from '../validation.ts';

const MAX_MSAT = Number.MAX_SAFE_INTEGER;
/** LUD-16 user part; `lnurlp_…` is reserved for link ids. */
const IDENTIFIER = '^(?!lnurlp_)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

const LinkBody = Type.Object({
  user_label: Type.Optional(Type.String({ maxLength: 255 })),
  lnurlp_minSendable_msat: Type.Optional(Type.Integer({ minimum: 1000, maximum: MAX_MSAT })),
  lnurlp_maxSendable_msat: Type.Optional(Type.Integer({ minimum: 1000, maximum: MAX_MSAT })),
  lnurlp_short_desc: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  lnurlp_commentAllowed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2000 })),
  lnurlp_identifier: Type.Optional(Type.Union([Type.String({ pattern: IDENTIFIER }), Type.Null()])),
  identifier: Type.Optional(Type.Union([Type.String({ pattern: IDENTIFIER }), Type.Null()])),
  custy_domain_id: Type.Optional(Type.String()),
});
type LinkBodyType = Static<typeof LinkBody>;

const LnurlpSchema = Type.Object({}, { additionalProperties: true, description: 'WalletLnurlpay' });

function linkInput(body: LinkBodyType): LnurlpInput {
  // lnpayd has one address domain (PUBLIC_URL's host), so there are no custom domains to name.
  if (body.custy_domain_id !== undefined) throw Errors.validation('Invalid custy_domain_id');
  const identifier = body.lnurlp_identifier !== undefined ? body.lnurlp_identifier : body.identifier;
  return {
    userLabel: body.user_label,
    minSendableMsat: body.lnurlp_minSendable_msat,
    maxSendableMsat: body.lnurlp_maxSendable_msat,
    shortDesc: body.lnurlp_short_desc,
    commentAllowed: body.lnurlp_commentAllowed,
    identifier,
  };
}

export const lnurlPayRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext; site: LnurlSite }> = async (app, { ctx, site }) => {
  app.post(
    '/v1/wallet/:wallet_key/lnurlp',
    {
      schema: {
        summary: 'Create an LNURL-pay link; with lnurlp_identifier it is also the Lightning Address <identifier>@<PUBLIC_URL host>',
        params: WalletKeyParams,
        body: LinkBody,
        response: { 200: LnurlpSchema, ...errorResponses },
      },
    },
    async (request) => {
      const input = linkInput(request.body);
      const wallet = await resolveWallet(ctx, request.caller, request.params.wallet_key, 'Wallet Admin');
      return createLnurlp(ctx, site, wallet, input);
    },
  );

  app.get(
    '/v1/lnurlp/:lnurlp_id',
    {
      schema: {
        summary: 'Retrieve an LNURL-pay link',
        params: Type.Object({ lnurlp_id: Type.String({ pattern: '^\\w+$' }) }),
        response: { 200: LnurlpSchema, ...errorResponses },
      },
    },
    async (request) => getLnurlp(ctx, site, request.params.lnurlp_id),
  );

  const updateOptions = {
    config: { auth: 'sak' as const },
    attachValidation: true,
    schema: {
      summary: 'Update an LNURL-pay link (validation errors answer 500, as LNPay did)',
      params: Type.Object({ lnurlp_id: Type.String({ pattern: '^\\w+$' }) }),
      body: LinkBody,
      response: { 200: LnurlpSchema, 500: ErrorSchema, ...errorResponses },
    },
  };
  const update = async (request: FastifyRequest<{ Params: { lnurlp_id: string }; Body: LinkBodyType }>) => {
    if (request.validationError) throw new ApiError(500, updateErrorMessage(request));
    let input: LnurlpInput;
    try {
      input = linkInput(request.body);
    } catch (err) {
      throw new ApiError(500, (err as Error).message);
    }
    return updateLnurlp(ctx, site, request.params.lnurlp_id, input);
  };
  app.post('/v1/lnurlp/:lnurlp_id', updateOptions, update);
  app.put('/v1/lnurlp/:lnurlp_id', updateOptions, update);
  app.patch('/v1/lnurlp/:lnurlp_id', updateOptions, update);

  app.get(
    '/v1/lnurlp/probe/:lnurl_or_address',
    {
      config: { fields: false },
      schema: {
        summary: 'The payRequest behind an LNURL-pay link or Lightning Address, metadata parsed (any failure: 500, as LNPay did)',
        params: Type.Object({ lnurl_or_address: Type.String({ pattern: '^[A-Za-z0-9_@.:-]+$' }) }),
        response: { 200: ProbedPayRequestSchema, 500: ErrorSchema, ...errorResponses },
      },
    },
    async (request) => probeLnurl(ctx, site, request.params.lnurl_or_address),
  );

  app.post(
    '/v1/wallet/:wallet_key/lnurlp/pay',
    {
      config: { fields: false },
      schema: {
        summary: 'Pay an LNURL-pay link or Lightning Address (ours settle internally)',
        params: WalletKeyParams,
        body: Type.Object({
          amt_msat: Type.Integer({ minimum: 0, maximum: MAX_MSAT }),
          lnurlpay_encoded: Type.Optional(Type.String({ maxLength: 4096 })),
          ln_address: Type.Optional(Type.String({ maxLength: 320 })),
          comment: Type.Optional(Type.String({ maxLength: 2000 })),
          passThru: Type.Optional(Type.Unknown()),
        }),
        response: { 201: WtxSchema, 202: ErrorSchema, 409: ErrorSchema, 422: ErrorSchema, 500: ErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const passThru = parsePassThru(body.passThru);
      const target = body.lnurlpay_encoded
        ? { lnurl: body.lnurlpay_encoded }
        : body.ln_address
          ? { address: body.ln_address }
          : undefined;
      if (!target) throw Errors.lnurlTargetMissing();
      const wallet = await resolveWallet(ctx, request.caller, request.params.wallet_key, 'wallet_withdraw');
      const wtx = await payLnurl(ctx, site, {
        wallet,
        target,
        amountMsat: body.amt_msat,
        comment: body.comment,
        passThru,
        idempotency: idempotencyOf(request),
      });
      return reply.code(201).send(wtx);
    },
  );
};

function updateErrorMessage(request: FastifyRequest): string {
  const error = request.validationError as (Error & { validation?: Parameters<typeof validationError>[0] }) | undefined;
  if (error?.validation) return validationError(error.validation, 'body').message;
  return error?.message ?? 'Invalid request.';
}
