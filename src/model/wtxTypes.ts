/** Wallet transaction types as LNPay numbers and names them. */
export const WTX_TYPES = {
  ln_deposit: { id: 10, display_name: 'LN Deposit' },
  ln_withdrawal: { id: 20, display_name: 'LN Withdrawal' },
  ln_transfer_in: { id: 30, display_name: 'Transfer In' },
  ln_transfer_out: { id: 40, display_name: 'Transfer Out' },
  ln_lnurl_pay_inbound: { id: 60, display_name: 'LNURL Pay' },
  ln_lnurl_pay_outbound: { id: 62, display_name: 'LNURL Pay Outbound' },
  ln_lnurl_withdraw: { id: 65, display_name: 'LNURL Withdraw' },
  network_fee: { id: 70, display_name: 'LN Routing Fees' },
} as const;

export type WtxTypeName = keyof typeof WTX_TYPES;

/** A send's type follows the server's passThru `method`: paying an LNURL-pay link is ln_lnurl_pay_outbound. */
export function sendWtxType(passThru: Record<string, unknown> | null): WtxTypeName {
  return passThru?.method === 'lnurlpay' ? 'ln_lnurl_pay_outbound' : 'ln_withdrawal';
}

const BY_ID = new Map<number, WtxTypeName>(
  Object.entries(WTX_TYPES).map(([name, t]) => [t.id, name as WtxTypeName]),
);

export function wtxTypeById(id: number): { layer: 'ln'; name: string; display_name: string } {
  const name = BY_ID.get(id);
  if (!name) throw new Error(`unknown wallet transaction type ${id}`);
  return { layer: 'ln', name, display_name: WTX_TYPES[name].display_name };
}
