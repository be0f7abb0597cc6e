import type { LightningBackend } from '../lightning/backend.ts';
import type { Db } from '../store/db.ts';
import type { WalletAccessCache } from './walletAccess.ts';

/** What every use case needs, built once by the composition root. */
export interface ServiceContext {
  db: Db;
  lightning: LightningBackend;
  /** LNPay-style id of the custodial node (lnod_…), shown on wallets and LnTx. */
  nodeId: string;
  nodePubkey: string;
  limits: { maxReceiveSats: number | undefined; maxSendSats: number | undefined };
  webhooks: { allowPrivateTargets: boolean };
  walletAccess: WalletAccessCache;
}
