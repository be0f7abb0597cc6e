import { renderUnicodeCompact } from 'uqr';
import { MAX_SATOSHIS } from '../api/routes/invoices.ts';
import { createInvoice } from '../services/createInvoice.ts';
import { payInvoice } from '../services/payInvoice.ts';
import { resolveWallet } from '../services/walletAccess.ts';
import { type Command, EXIT, UsageError, stringOption, wholeNumber } from './command.ts';

const WALLET_ARG = 'The wallet is named by its id (wal_…) or any of its access keys, as with the secret key over HTTP.';

export const invoice: Command = {
  words: ['invoice'],
  summary: 'create an invoice for a wallet and show it as a QR code',
  usage: '<wallet id or key> --sats <n> [--memo <text>] [--expiry <seconds>]',
  details: [WALLET_ARG, 'Prints the LnTx id, the BOLT11 payment request and its QR code (--json: the LnTx).'],
  options: { sats: { type: 'string' }, memo: { type: 'string' }, expiry: { type: 'string' } },
  arity: 1,
  needs: 'services',
  async run(ctx, { values, args, out }) {
    const numSatoshis = wholeNumber(values, 'sats', 1, MAX_SATOSHIS);
    if (numSatoshis === undefined) throw new UsageError('--sats is required');
    const memo = stringOption(values, 'memo') ?? null;
    if (memo !== null && memo.length > 255) throw new UsageError('--memo must be at most 255 characters');
    const wallet = await resolveWallet(ctx, 'sak', args[0] as string, 'wallet_deposit');
    const lntx = await createInvoice(ctx, {
      wallet,
      numSatoshis,
      memo,
      descriptionHash: null,
      expirySeconds: wholeNumber(values, 'expiry', 1, 31_536_000) ?? 86_400,
      passThru: {},
    });
    const qr = out.json ? '' : renderUnicodeCompact(`lightning:${lntx.payment_request}`.toUpperCase());
    out.result([`${lntx.id}: ${numSatoshis} sats to ${wallet.id}`, lntx.payment_request, qr], lntx);
    return EXIT.ok;
  },
};

export const pay: Command = {
  words: ['pay'],
  summary: "pay a BOLT11 invoice from a wallet (the API's withdraw)",
  usage: '<wallet id or key> <bolt11> [--fee-limit-msat <n>]',
  details: [
    WALLET_ARG,
    'Our own wallets\' invoices settle internally; others go through the node. Prints the ln_withdrawal wtx.',
    'With the embedded Lightning node this needs the server stopped (one process owns its payment journal).',
  ],
  options: { 'fee-limit-msat': { type: 'string' } },
  arity: 2,
  needs: 'services',
  writesNodeJournal: true,
  async run(ctx, { values, args, out }) {
    const feeLimitMsat = wholeNumber(values, 'fee-limit-msat', 0, Number.MAX_SAFE_INTEGER);
    const wallet = await resolveWallet(ctx, 'sak', args[0] as string, 'wallet_withdraw');
    const wtx = await payInvoice(ctx, { wallet, paymentRequest: (args[1] as string).trim(), feeLimitMsat, passThru: {}, idempotency: undefined });
    const fee = wtx.lnTx?.fee_msat ? `, routing fee ${wtx.lnTx.fee_msat} msat` : '';
    out.result(`${wtx.id}: paid ${-wtx.num_satoshis} sats from ${wallet.id}${fee}; balance now ${wtx.wal.balance} sats`, wtx);
    return EXIT.ok;
  },
};
