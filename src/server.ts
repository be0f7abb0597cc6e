import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { buildApi } from './api/app.ts';
import type { Config } from './config.ts';
import type { LightningBackend } from './lightning/backend.ts';
import { EmbeddedNode } from './lightning/embedded/node.ts';
import { LndNode } from './lightning/lnd/node.ts';
import { lockDataDir } from './lib/dataDirLock.ts';
import { randomAlnum } from './lib/random.ts';
import type { ServiceContext } from './services/context.ts';
import { startSettlementFollower } from './services/followSettlements.ts';
import { startRecoveryLoop } from './services/recoveryLoop.ts';
import { type RootKeySetup, ensureRootKeys } from './services/rootKeys.ts';
import { WalletAccessCache } from './services/walletAccess.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite.ts';
import { openPostgres } from './store/postgres.ts';
import { getOrCreateSetting } from './store/settings.ts';
import { WebhookWorker } from './webhooks/worker.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  ctx: ServiceContext;
  rootKeys: RootKeySetup;
  close(): Promise<void>;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.secretKey', '*.publicKey'], censor: '[redacted]' },
  });
}

async function openDatabase(config: Config): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(join(config.dataDir, 'pgdata'));
}

function openLightning(config: Config): Promise<LightningBackend> {
  return config.lnd ? LndNode.open(config.lnd) : EmbeddedNode.open(config.dataDir);
}

/** Composition root: builds every part in dependency order and tears them down in reverse. */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.error({ err }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    if (!config.databaseUrl) cleanups.push(await lockDataDir(config.dataDir));
    const db = await openDatabase(config);
    cleanups.push(() => db.close());
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
    const lightning = await openLightning(config);
    cleanups.push(() => lightning.close());
    const info = await lightning.info();
    const nodeId = await getOrCreateSetting(db, 'ln_node_id', () => 'lnod_' + randomAlnum(18).toLowerCase());
    const rootKeys = await ensureRootKeys(db, config.dataDir, {
      secretKey: config.secretKey,
      publicKey: config.publicKey,
    });
    const ctx: ServiceContext = {
      db,
      lightning,
      nodeId,
      nodePubkey: info.pubkey,
      limits: { maxReceiveSats: config.maxReceiveSats, maxSendSats: config.maxSendSats },
      webhooks: { allowPrivateTargets: config.webhooks.allowPrivateTargets },
      walletAccess: new WalletAccessCache(),
    };
    cleanups.push(startRecoveryLoop(ctx, logger));
    cleanups.push(await startSettlementFollower(ctx, logger));
    // Pushed before the API so that shutdown closes HTTP first, then lets attempts in flight finish.
    const webhooks = new WebhookWorker(db, config.webhooks, logger);
    webhooks.start();
    cleanups.push(() => webhooks.stop());
    const app = await buildApi({ ctx, publicUrl: config.publicUrl, logger });
    cleanups.push(() => app.close());
    const address = await app.listen({ host: config.host, port: config.port });
    logger.info({ address, database: db.kind, lightning: lightning.kind, pubkey: info.pubkey }, 'lnpayd listening');
    return { app, url: address, ctx, rootKeys, close };
  } catch (err) {
    await close();
    throw err;
  }
}
