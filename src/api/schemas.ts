import { Type } from 'typebox';
import { LNTX_EXAMPLE, WALLET_EXAMPLE, WTX_EXAMPLE } from './examples.ts';

/** JSON shapes of LNPay's objects: they validate nothing but serialize and document the replies. */

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const FreeObject = Type.Object({}, { additionalProperties: true });

export const ErrorSchema = Type.Object({
  name: Type.String(),
  message: Type.String(),
  code: Type.Integer(),
  status: Type.Integer(),
});

export const WalletSchema = Type.Object({
  id: Type.String({ examples: ['wal_czDztN5eJ4r5sJ'] }),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
  user_label: Type.String(),
  balance: Type.Integer({ description: 'sats' }),
  balance_msat: Type.Null(),
  ln_node_id: Type.String(),
  default_lnurlpay_id: Nullable(Type.String()),
  statusType: Type.Object({ type: Type.String(), name: Type.String(), display_name: Type.String() }),
  walletType: Type.Object({ name: Type.String(), display_name: Type.String() }),
}, { examples: [WALLET_EXAMPLE] });

export const CreatedWalletSchema = Type.Object({
  ...WalletSchema.properties,
  access_keys: Type.Record(Type.String(), Type.Array(Type.String())),
});

const lntxProperties = {
  id: Type.String({ examples: ['lntx_ztkK7XxfqCq3ihmhJiUhnR'] }),
  created_at: Type.Integer(),
  ln_node_id: Type.String(),
  dest_pubkey: Type.String(),
  payment_request: Type.String(),
  r_hash_decoded: Type.String(),
  memo: Nullable(Type.String()),
  description_hash: Nullable(Type.String()),
  payment_addr: Nullable(Type.String()),
  num_satoshis: Type.Integer(),
  fee_msat: Type.Integer(),
  expiry: Nullable(Type.Integer()),
  expires_at: Nullable(Type.Integer()),
  payment_preimage: Nullable(Type.String()),
  settled: Type.Integer(),
  settled_at: Nullable(Type.Integer()),
  is_keysend: Nullable(Type.Integer()),
  is_amp: Nullable(Type.Integer()),
  custom_records: Nullable(FreeObject),
};

export const LntxSchema = Type.Object({ ...lntxProperties, passThru: Nullable(FreeObject) }, { examples: [LNTX_EXAMPLE] });

export const WtxSchema = Type.Object({
  id: Type.String(),
  created_at: Type.Integer(),
  num_satoshis: Type.Integer({ description: 'signed: + credit, − debit' }),
  user_label: Nullable(Type.String()),
  wal: WalletSchema,
  wtxType: Type.Object({ layer: Type.String(), name: Type.String(), display_name: Type.String() }),
  lnTx: Nullable(Type.Object(lntxProperties)),
  passThru: Nullable(FreeObject),
}, { examples: [WTX_EXAMPLE] });

export const WalletKeyParams = Type.Object({ wallet_key: Type.String({ pattern: '^\\w+$' }) });

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  404: ErrorSchema,
};
