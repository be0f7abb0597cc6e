import { join } from 'node:path';
import type { Config } from './config.ts';
import type { LightningBackend } from './lightning/backend.ts';
import { EmbeddedNode } from './lightning/embedded/node.ts';
import { LndNode } from './lightning/lnd/node.ts';
import { randomAlnum } from './lib/random.ts';
import type { ServiceContext } from './services/context.ts';
import { WalletAccessCache } from './services/walletAccess.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite.ts';
import { openPostgres } from './store/postgres.ts';
import { getOrCreateSetting } from './store/settings.ts';

/** Steps to undo, run in reverse by whoever opened the parts. */
export type Cleanups = (() => Promise<void>)[];

/**
 * DATA_DIR holds state that one process at a time may own: the PGlite
 * database, or the embedded node's in-memory view of its payment journal.
 */
export function dataDirIsSingleProcess(config: Config): boolean {
  return !config.databaseUrl || !config.lnd;
}

/** Opens the database and brings its schema up to date; returns the migrations it applied. */
export async function openStore(config: Config, cleanups: Cleanups): Promise<{ db: Db; applied: number[] }> {
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(join(config.dataDir, 'pgdata'));
  cleanups.push(() => db.close());
  return { db, applied: await migrate(db) };
}

function openLightning(config: Config): Promise<LightningBackend> {
  return config.lnd ? LndNode.open(config.lnd) : EmbeddedNode.open(config.dataDir);
}

/** What every use case needs, for the HTTP server and the CLI alike. */
export async function openContext(config: Config, db: Db, cleanups: Cleanups): Promise<ServiceContext> {
  const lightning = await openLightning(config);
  cleanups.push(() => lightning.close());
  const info = await lightning.info();
  const nodeId = await getOrCreateSetting(db, 'ln_node_id', () => 'lnod_' + randomAlnum(18).toLowerCase());
  return {
    db,
    lightning,
    nodeId,
    nodePubkey: info.pubkey,
    limits: { maxReceiveSats: config.maxReceiveSats, maxSendSats: config.maxSendSats },
    webhooks: { allowPrivateTargets: config.webhooks.allowPrivateTargets },
    walletAccess: new WalletAccessCache(),
  };
}
