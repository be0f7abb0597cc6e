import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.ts';
import type { LnurlSite } from '../../lnurl/site.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createWithdrawLink } from '../../services/createWithdrawLink.ts';
import { resolveWallet } from '../../services/walletAccess.ts';
import { resolveWithdrawWallet, withdrawRequest } from '../../services/withdrawRequest.ts';
import { withdrawPayout } from '../../services/withdrawPayout.ts';
import { lnurlAnswer } from '../lnurlReply.ts';
import { LnurlErrorSchema, LnurlOkSchema, WithdrawRequestSchema } from '../lnurlSchemas.ts';
import { parsePassThru } from '../passThru.ts';
import { WalletKeyParams, errorResponses } from '../schemas.ts';
import { MAX_SATOSHIS } from './invoices.ts';

const Digits = Type.String({ pattern: '^\\d{1,16}$' });

const LinkQuery = Type.Object({
  num_satoshis: Type.Optional(Digits),
  memo: Type.Optional(Type.String({ maxLength: 255 })),
  passThru: Type.Optional(Type.String({ maxLength: 8192, description: 'base64 of a JSON object' })),
  public: Type.Optional(Type.String({ description: 'ignored, as LNPay did' })),
});

/** LNPay carried passThru in LNURL query strings as base64 JSON. */
function base64PassThru(value: string | undefined): Record<string, unknown> {
  if (value === undefined || value === '') return {};
  return parsePassThru(Buffer.from(value, 'base64').toString('utf8'));
}

function satoshis(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (n > MAX_SATOSHIS) throw Errors.validation(`Num Satoshis must be less than or equal to "${MAX_SATOSHIS}".`);
  return n;
}

export const lnurlWithdrawRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext; site: LnurlSite }> = async (
  app,
  { ctx, site },
) => {
  for (const [path, oneTime] of [
    ['/v1/wallet/:wallet_key/lnurl/withdraw', true],
    ['/v1/wallet/:wallet_key/lnurl/withdraw-static', false],
  ] as const) {
    app.get(
      path,
      {
        config: { fields: false },
        schema: {
          summary: oneTime
            ? 'A disposable LNURL-withdraw link: paid out once (its ott is then spent)'
            : 'A permanent LNURL-withdraw link, limited by the balance and num_satoshis',
          params: WalletKeyParams,
          querystring: LinkQuery,
          response: {
            200: Type.Object({ lnurl: Type.String(), ott: Type.Optional(Type.String()) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const passThru = base64PassThru(request.query.passThru);
        const numSatoshis = satoshis(request.query.num_satoshis);
        const wallet = await resolveWallet(
          ctx,
          request.caller,
          request.params.wallet_key,
          oneTime ? 'wallet_withdraw' : 'Wallet Admin',
        );
        return createWithdrawLink(ctx, site, wallet, {
          oneTime,
          numSatoshis,
          memo: request.query.memo,
          passThruBase64: request.query.passThru,
          passThru,
        });
      },
    );
  }

  app.get(
    '/v1/wallet/:wallet_key/lnurl-process',
    {
      config: { auth: 'none', fields: false },
      schema: {
        summary: 'LUD-03 endpoint a wallet app calls: withdraw parameters, or (with k1 and pr) the payout',
        params: WalletKeyParams,
        querystring: Type.Object({
          ...LinkQuery.properties,
          tag: Type.Optional(Type.String()),
          ott: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{1,64}$' })),
          k1: Type.Optional(Type.String({ maxLength: 128 })),
          pr: Type.Optional(Type.String({ maxLength: 7089 })),
        }),
        response: {
          200: Type.Union([WithdrawRequestSchema, LnurlErrorSchema]),
          201: LnurlOkSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const wallet = await resolveWithdrawWallet(ctx, request.params.wallet_key, query.ott !== undefined);
      if (query.pr === undefined) {
        return lnurlAnswer(reply, async () =>
          withdrawRequest(ctx, site, wallet, {
            key: request.params.wallet_key,
            ott: query.ott,
            numSatoshis: satoshis(query.num_satoshis),
            memo: query.memo,
            passThru: base64PassThru(query.passThru),
          }),
        );
      }
      const pr = query.pr.trim();
      return lnurlAnswer(reply, async () => {
        if (!query.k1) throw Errors.validation('K1 cannot be blank.');
        await withdrawPayout(ctx, wallet, { k1: query.k1, ott: query.ott, paymentRequest: pr });
        reply.code(201);
        return { status: 'OK' as const };
      });
    },
  );
};
