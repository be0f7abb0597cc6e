import { createHash } from 'node:crypto';
import { generateKey, hashKey } from '../access/keys.ts';
import { WALLET_ROLES } from '../access/roles.ts';
import { Errors } from '../errors.ts';
import { newId, randomAlnum } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import { walletJson } from '../model/present.ts';
import { getOrCreateSetting } from '../store/settings.ts';
import { WalletIdTakenError, insertWallet, insertWalletKeys } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { defaultMaxSendableMsat, insertLink } from './lnurlpLinks.ts';
import { recordEvent } from './recordEvent.ts';

export interface CreateWalletInput {
  userLabel: string;
  deterministicIdentifier?: string | undefined;
}

/** Creates a wallet with one key of every role; the keys are returned now and never again. */
export async function createWallet(ctx: ServiceContext, input: CreateWalletInput) {
  const now = nowSeconds();
  const keys = Object.entries(WALLET_ROLES).map(([roleId, role]) => ({
    roleId,
    role,
    key: generateKey(role.prefix, role.length),
  }));
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = input.deterministicIdentifier
        ? deterministicWalletId(input.deterministicIdentifier, await getOrCreateSetting(tx, 'wallet_id_salt', () => randomAlnum(32)))
        : newId('wal_', 14);
      const linkId = newId('lnurlp_', 18);
      const wallet = await insertWallet(tx, { id, userLabel: input.userLabel, lnNodeId: ctx.nodeId, defaultLnurlpayId: linkId, now });
      await insertWalletKeys(
        tx,
        id,
        keys.map(({ roleId, key }) => ({ hash: hashKey(key), role: roleId, plain: isPublicLinkRole(roleId) ? key : null })),
        now,
      );
      await insertLink(tx, id, linkId, defaultLinkFields(ctx, input.userLabel), now);
      const json = walletJson(wallet);
      await recordEvent(tx, 'wallet_created', { wal: json }, now);
      const accessKeys = Object.fromEntries(keys.map(({ role, key }) => [role.name, [key]]));
      return { ...json, access_keys: accessKeys };
    });
  } catch (err) {
    if (err instanceof WalletIdTakenError) throw Errors.identifierTaken(err.walletId);
    throw err;
  }
}

/** The two keys LNURLs embed stay readable; all others are kept as hashes only. */
function isPublicLinkRole(role: string): boolean {
  return role === 'lnurlWithdraw' || role === 'lnurlPay';
}

/** §3.1: every wallet comes with an LNURL-pay link described by its label. */
function defaultLinkFields(ctx: ServiceContext, userLabel: string) {
  return {
    user_label: `LNURL-pay ${userLabel}`,
    min_sendable_msat: 1000,
    max_sendable_msat: defaultMaxSendableMsat(ctx),
    short_desc: userLabel,
    comment_allowed: 0,
    identifier: null,
  };
}

/** LNPay's walx_ ids: stable for one identifier, unguessable across installations. */
function deterministicWalletId(identifier: string, salt: string): string {
  return 'walx_' + createHash('sha256').update(identifier + salt).digest('hex').slice(0, 14);
}
