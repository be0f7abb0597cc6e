import { Type } from 'typebox';

/** Replies of the LNURL endpoints that wallet apps call (LUD-03, 06, 16) and of the probe. */

/** LUD's refusal: wallet apps read it from the body, so it comes with HTTP 200. */
export const LnurlErrorSchema = Type.Object({
  status: Type.Literal('ERROR'),
  reason: Type.String({ examples: ['This k1 has already been used'] }),
});

const payRequestFields = {
  tag: Type.Literal('payRequest'),
  callback: Type.String(),
  minSendable: Type.Integer({ description: 'msat' }),
  maxSendable: Type.Integer({ description: 'msat' }),
  commentAllowed: Type.Integer(),
};

export const PayRequestSchema = Type.Object({
  ...payRequestFields,
  metadata: Type.String({ description: 'JSON text; the invoice description hash is sha256 of exactly these bytes', examples: ['[["text/plain","Pay Bob"]]'] }),
});

export const ProbedPayRequestSchema = Type.Object({
  ...payRequestFields,
  metadata: Type.Array(Type.Unknown(), { description: 'the metadata parsed: [[mime type, content], …]', examples: [[['text/plain', 'Pay Bob']]] }),
});

export const PayInvoiceSchema = Type.Object({ pr: Type.String(), routes: Type.Array(Type.Unknown(), { maxItems: 0 }) });

export const WithdrawRequestSchema = Type.Object({
  tag: Type.Literal('withdrawRequest'),
  callback: Type.String(),
  k1: Type.String({ examples: ['a8676560c58a63fa91dd21c47ab00d7b5a92944e4eaceb73bd823f68c3e8f178'] }),
  minWithdrawable: Type.Integer({ description: 'msat' }),
  maxWithdrawable: Type.Integer({ description: 'msat' }),
  defaultDescription: Type.String(),
  balanceCheck: Type.Optional(Type.String({ description: 'permanent links only' })),
});

export const LnurlOkSchema = Type.Object({ status: Type.Literal('OK') });
