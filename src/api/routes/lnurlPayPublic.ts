import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.ts';
import type { LnurlSite } from '../../lnurl/site.ts';
import type { ServiceContext } from '../../services/context.ts';
import { findPayLinkByKey, findPayLinkByUsername, issuePayLinkInvoice, payRequestFor } from '../../services/servePayLink.ts';
import { lnurlAnswer } from '../lnurlReply.ts';
import { LnurlErrorSchema, PayInvoiceSchema, PayRequestSchema } from '../lnurlSchemas.ts';
import { errorResponses } from '../schemas.ts';

/** What wallet apps call without an API key: LUD-06 pay links and LUD-16 addresses. */
export const lnurlPayPublicRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext; site: LnurlSite }> = async (
  app,
  { ctx, site },
) => {
  app.get(
    '/v1/wallet/:wallet_key/lnurlp/:lnurlp_id',
    {
      config: { auth: 'none', fields: false },
      schema: {
        summary: 'LUD-06: the payRequest, or with ?amount= (msat) an invoice whose description hash is sha256(metadata)',
        params: Type.Object({ wallet_key: Type.String({ pattern: '^\\w+$' }), lnurlp_id: Type.String({ pattern: '^\\w+$' }) }),
        querystring: Type.Object({
          amount: Type.Optional(Type.String({ maxLength: 20 })),
          comment: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 200: Type.Union([PayRequestSchema, PayInvoiceSchema, LnurlErrorSchema]), ...errorResponses },
      },
    },
    async (request, reply) =>
      lnurlAnswer(reply, async () => {
        const link = await findPayLinkByKey(ctx, request.params.wallet_key, request.params.lnurlp_id);
        const amount = request.query.amount;
        if (amount === undefined) return payRequestFor(ctx, site, link);
        if (!/^\d{1,16}$/.test(amount)) throw Errors.validation('Amount must be an integer (msat).');
        return issuePayLinkInvoice(ctx, site, link, { amountMsat: Number(amount), comment: request.query.comment });
      }),
  );

  app.get(
    '/.well-known/lnurlp/:username',
    {
      config: { auth: 'none', fields: false },
      schema: {
        summary: 'LUD-16 Lightning Address <username>@<PUBLIC_URL host>: its payRequest',
        params: Type.Object({ username: Type.String({ maxLength: 128 }) }),
        response: { 200: PayRequestSchema, ...errorResponses },
      },
    },
    async (request) => {
      const link = await findPayLinkByUsername(ctx, request.params.username);
      if (!link) throw Errors.invalidUsername(request.params.username, request.headers.host ?? site.domain);
      return payRequestFor(ctx, site, link);
    },
  );
};
