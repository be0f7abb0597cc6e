/**
 * Access-key roles as LNPay defines them; permissions belong to the role, not the prefix.
 * LNPay made the external-website keys 8 characters long; here every key is 24, for >=128 bits.
 */
export type Permission =
  | 'wallet_read'
  | 'wallet_tx_read'
  | 'wallet_deposit'
  | 'wallet_withdraw'
  | 'wallet_transfer'
  | 'wallet_public_withdraw'
  | 'Wallet Admin';

export interface WalletRole {
  name: string;
  prefix: string;
  length: number;
  permissions: readonly Permission[];
}

export const WALLET_ROLES = {
  admin: {
    name: 'Wallet Admin',
    prefix: 'waka_',
    length: 24,
    permissions: ['wallet_read', 'wallet_tx_read', 'wallet_deposit', 'wallet_withdraw', 'wallet_transfer', 'Wallet Admin'],
  },
  invoice: { name: 'Wallet Invoice', prefix: 'waki_', length: 24, permissions: ['wallet_deposit', 'wallet_tx_read'] },
  read: { name: 'Wallet Read', prefix: 'wakr_', length: 24, permissions: ['wallet_read', 'wallet_tx_read'] },
  lnurlWithdraw: {
    name: 'Wallet LNURL Withdraw',
    prefix: 'waklw_',
    length: 24,
    permissions: ['wallet_read', 'wallet_withdraw', 'wallet_public_withdraw'],
  },
  lnurlPay: { name: 'Wallet LNURL Pay', prefix: 'waklp_', length: 24, permissions: ['wallet_deposit'] },
  externalAdmin: {
    name: 'Wallet External Website Admin',
    prefix: 'wakewa_',
    length: 24,
    permissions: ['wallet_deposit', 'wallet_withdraw', 'wallet_read', 'wallet_tx_read'],
  },
  externalView: {
    name: 'Wallet External Website View',
    prefix: 'wakewv_',
    length: 24,
    permissions: ['wallet_read', 'wallet_tx_read'],
  },
} as const satisfies Record<string, WalletRole>;

export type WalletRoleId = keyof typeof WALLET_ROLES;

/** Roles of keys imported from older LNPay data (wa_/wi_/wr_) map onto today's roles. */
export const LEGACY_PREFIXES: Record<string, WalletRoleId> = { wa_: 'admin', wi_: 'invoice', wr_: 'read' };

export function isWalletRole(role: string): role is WalletRoleId {
  return Object.hasOwn(WALLET_ROLES, role);
}

export function roleAllows(role: WalletRoleId, permission: Permission): boolean {
  return (WALLET_ROLES[role].permissions as readonly Permission[]).includes(permission);
}

/** The text before the first underscore, as LNPay's permission errors quote it. */
export function keyPrefix(key: string): string {
  return key.split('_', 1)[0] ?? key;
}
