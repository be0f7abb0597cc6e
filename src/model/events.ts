/** Webhook events as LNPay names them; `id` is LNPay's numeric event id (a string on the wire). */
export const EVENTS = {
  wallet_created: { id: '500', type: 'wallet', display_name: 'Wallet Created' },
  wallet_send: { id: '510', type: 'wallet', display_name: 'Wallet Send' },
  wallet_send_failure: { id: '515', type: 'wallet', display_name: 'Wallet Send Failure' },
  wallet_receive: { id: '520', type: 'wallet', display_name: 'Wallet Receive' },
  wallet_transfer_in: { id: '530', type: 'wallet', display_name: 'Wallet Transfer IN' },
  wallet_transfer_out: { id: '540', type: 'wallet', display_name: 'Wallet Transfer OUT' },
  network_fee_incurred: { id: 'billing_fee_incurred', type: 'network_fee', display_name: 'LN Network Fee Incurred' },
} as const;

export type EventName = keyof typeof EVENTS;
