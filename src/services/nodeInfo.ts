import { Errors } from '../errors.ts';
import { nowSeconds } from '../lib/time.ts';
import { getOrCreateSetting } from '../store/settings.ts';
import type { ServiceContext } from './context.ts';

/** `:node_id` is our node's lnod_ id or `default`; there is no other node. */
export function checkNodeId(ctx: ServiceContext, nodeId: string): void {
  if (nodeId !== 'default' && nodeId !== ctx.nodeId) throw Errors.invalidNodeId(nodeId);
}

/** LnNode (§6) for the custodial node; on-chain and connection details are not exposed. */
export async function getNode(ctx: ServiceContext) {
  const info = await ctx.lightning.info();
  const createdAt = Number(await getOrCreateSetting(ctx.db, 'ln_node_created_at', () => String(nowSeconds())));
  return {
    id: ctx.nodeId,
    created_at: createdAt,
    org_id: null,
    is_custodian: 1,
    alias: info.alias,
    onchain_confirmed_sats: 0,
    onchain_unconfirmed_sats: 0,
    onchain_total_sats: 0,
    onchain_nextaddr: null,
    network: info.network,
    default_pubkey: info.pubkey,
    uri: null,
    host: null,
    rpc_port: null,
    rest_port: null,
    ln_port: null,
    fee_wallet_id: null,
    keysend_wallet_id: null,
    passThru: null,
  };
}

/** LND QueryRoutes in protobuf-JSON (int64 as strings); no route → LND's error text. */
export async function queryRoutes(ctx: ServiceContext, destPubkey: string, amountSats: number) {
  const found = await ctx.lightning.queryRoutes?.({ destPubkey, amountMsat: amountSats * 1000 });
  if (!found || found.routes.length === 0) throw Errors.noRoute();
  return {
    routes: found.routes.map((r) => ({
      totalTimeLock: r.totalTimeLock,
      totalAmt: String(Math.floor(r.totalAmtMsat / 1000)),
      hops: r.hops.map((h) => ({
        chanId: h.chanId,
        chanCapacity: String(h.chanCapacitySat),
        amtToForward: String(Math.floor(h.amtToForwardMsat / 1000)),
        expiry: h.expiry,
        amtToForwardMsat: String(h.amtToForwardMsat),
        feeMsat: String(h.feeMsat),
        pubKey: h.pubKey,
        tlvPayload: true,
      })),
      totalFeesMsat: String(r.totalFeesMsat),
      totalAmtMsat: String(r.totalAmtMsat),
    })),
    successProb: found.successProb,
  };
}
