import type { LightningBackend } from '../lightning/backend.ts';
import type { Db } from '../store/db.ts';

/** What every use case needs, built once by the composition root. */
export interface ServiceContext {
  db: Db;
  lightning: LightningBackend;
  /** LNPay-style id of the custodial node (lnod_…), shown on wallets and LnTx. */
  nodeId: string;
  nodePubkey: string;
  limits: { maxReceiveSats: number | undefined; maxSendSats: number | undefined };
  webhooks: { allowPrivateTargets: boolean };
}
