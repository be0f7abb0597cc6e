import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { walletJson, wtxJson } from '../../model/present.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createWallet } from '../../services/createWallet.ts';
import { listTransactions, listWallets } from '../../services/listRecords.ts';
import { resolveWallet } from '../../services/walletAccess.ts';
import { Errors } from '../../errors.ts';
import { type PageRule, pageOf, setPageHeaders, sortOf } from '../pagination.ts';
import { CreatedWalletSchema, WalletKeyParams, WalletSchema, WtxSchema, errorResponses } from '../schemas.ts';

const WALLETS_PAGE: PageRule = { defaultSize: 50, maxSize: 50 };
const WALLET_TX_PAGE: PageRule = { defaultSize: 100, maxSize: 500, sizeAlias: 'page-size' };
const ALL_TX_PAGE: PageRule = { defaultSize: 20, maxSize: 50 };

export const walletRoutes: FastifyPluginAsyncTypebox<{ ctx: ServiceContext; publicUrl: string }> = async (
  app,
  { ctx, publicUrl },
) => {
  app.post(
    '/v1/wallet',
    {
      schema: {
        summary: 'Create a wallet; its access keys are shown only in this response',
        body: Type.Object({
          user_label: Type.String({ minLength: 1, maxLength: 255 }),
          deterministic_identifier: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        }),
        response: { 201: CreatedWalletSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const wallet = await createWallet(ctx, {
        userLabel: request.body.user_label,
        deterministicIdentifier: request.body.deterministic_identifier,
      });
      return reply.code(201).send(wallet);
    },
  );

  app.get(
    '/v1/wallets',
    {
      config: { auth: 'sak' },
      schema: { summary: 'List wallets', response: { 200: Type.Array(WalletSchema), ...errorResponses } },
    },
    async (request, reply) => {
      const { rows, total, page } = await listWallets(ctx, sortOf(request), (total) =>
        pageOf(request, WALLETS_PAGE, total),
      );
      setPageHeaders(request, reply, WALLETS_PAGE, page, total, publicUrl);
      return rows.map((w) => walletJson(w));
    },
  );

  app.get(
    '/v1/wallet/:wallet_key',
    {
      schema: { summary: 'Retrieve a wallet and its balance', params: WalletKeyParams, response: { 200: WalletSchema, ...errorResponses } },
    },
    async (request) => walletJson(await resolveWallet(ctx, request.caller, request.params.wallet_key, 'wallet_read')),
  );

  app.get(
    '/v1/wallet/:wallet_key/transactions',
    {
      schema: {
        summary: "A wallet's transactions, newest first",
        params: WalletKeyParams,
        response: { 200: Type.Array(WtxSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const wallet = await resolveWallet(ctx, request.caller, request.params.wallet_key, 'wallet_read');
      const { rows, total, page } = await listTransactions(
        ctx,
        wallet.id,
        sortOf(request),
        (total) => pageOf(request, WALLET_TX_PAGE, total),
      );
      setPageHeaders(request, reply, WALLET_TX_PAGE, page, total, publicUrl);
      return rows.map(wtxJson);
    },
  );

  app.get(
    '/v1/wallet-transactions',
    {
      config: { auth: 'sak' },
      schema: {
        summary: 'Transactions of all wallets, or of one with ?wallet_id=',
        querystring: Type.Object({ wallet_id: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(WtxSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const walletId = request.query.wallet_id;
      if (walletId !== undefined) await resolveWallet(ctx, 'sak', walletId, 'wallet_read').catch(() => {
        throw Errors.walletNotFound(walletId);
      });
      const { rows, total, page } = await listTransactions(
        ctx,
        walletId,
        sortOf(request),
        (total) => pageOf(request, ALL_TX_PAGE, total),
      );
      setPageHeaders(request, reply, ALL_TX_PAGE, page, total, publicUrl);
      return rows.map(wtxJson);
    },
  );
};
