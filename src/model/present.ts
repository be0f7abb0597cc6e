import type { LntxRow } from '../store/lntx.ts';
import type { WtxView } from '../store/transactions.ts';
import type { WalletRow } from '../store/wallets.ts';
import { wtxTypeById } from './wtxTypes.ts';

/** Rows as LNPay's JSON shows them: integer sats, 0/1 flags, unix seconds, nulls kept. */

export function walletJson(w: WalletRow, balanceMsat = w.balance_msat) {
  return {
    id: w.id,
    created_at: w.created_at,
    updated_at: w.updated_at,
    user_label: w.user_label,
    balance: Math.floor(balanceMsat / 1000),
    balance_msat: null,
    ln_node_id: w.ln_node_id,
    default_lnurlpay_id: w.default_lnurlpay_id ?? null,
    statusType: { type: 'wallet', name: w.status, display_name: w.status === 'active' ? 'Active' : 'Inactive' },
    walletType:
      w.wallet_type === 'fee_wallet'
        ? { name: 'fee_wallet', display_name: 'Fee Wallet' }
        : { name: 'generic_wallet', display_name: 'Generic Wallet' },
  };
}

export function lntxJson(t: LntxRow) {
  return {
    id: t.id,
    created_at: t.created_at,
    ln_node_id: t.ln_node_id,
    dest_pubkey: t.dest_pubkey,
    payment_request: t.payment_request,
    r_hash_decoded: t.payment_hash,
    memo: t.memo,
    description_hash: t.description_hash,
    payment_addr: t.payment_addr,
    num_satoshis: t.num_satoshis,
    fee_msat: t.fee_msat,
    expiry: t.expiry,
    expires_at: t.expires_at,
    payment_preimage: t.settled ? t.payment_preimage : null,
    settled: t.settled,
    settled_at: t.settled_at,
    is_keysend: t.is_keysend,
    is_amp: t.is_amp,
    custom_records: t.custom_records,
  };
}

/** passThru last, as LNPay shows it; assigned, not spread after (see lntxRow for why). */
export function lntxWithPassThruJson(t: LntxRow) {
  return Object.assign(lntxJson(t), { passThru: t.pass_thru });
}

export function wtxJson(v: WtxView) {
  return {
    id: v.wtx.id,
    created_at: v.wtx.created_at,
    num_satoshis: v.wtx.num_satoshis,
    user_label: v.wtx.user_label,
    wal: walletJson(v.wallet, v.wtx.balance_after_msat),
    wtxType: wtxTypeById(v.wtx.type_id),
    lnTx: v.lntx ? lntxJson(v.lntx) : null,
    passThru: v.wtx.pass_thru,
  };
}

export type WalletJson = ReturnType<typeof walletJson>;
export type LntxJson = ReturnType<typeof lntxWithPassThruJson>;
export type WtxJson = ReturnType<typeof wtxJson>;
