import type { Config } from '../config.ts';
import { DataDirLockedError, lockDataDir } from '../lib/dataDirLock.ts';
import { type Cleanups, openContext, openStore } from '../openContext.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Db } from '../store/db.ts';
import type { Command } from './command.ts';

/**
 * PGlite serves one process, so on it every command needs the server
 * stopped. On PostgreSQL the CLI runs beside servers, except a payment
 * through the embedded node: the node keeps its journal in memory, so a
 * send recorded by the CLI would be unknown to a running server's recovery.
 * Invoices need no journal (the embedded node derives them from its key).
 */
function needsDataDirLock(config: Config, command: Command): boolean {
  if (!config.databaseUrl) return true;
  return command.needs === 'services' && command.writesNodeJournal === true && !config.lnd;
}

function lockedHint(config: Config): string {
  return config.databaseUrl
    ? 'Paying through the embedded Lightning node needs the server stopped (one process owns its payment journal); ' +
        'or pay through the running server: POST /v1/wallet/:wallet_key/withdraw.'
    : 'Stop the server first: the embedded PGlite database serves one process. ' +
        'With PostgreSQL (DATABASE_URL) the CLI runs beside a running server.';
}

export interface Session {
  db: Db;
  /** Migrations this opening applied. */
  applied: number[];
  /** Set for commands that need services. */
  ctx: ServiceContext | undefined;
  close(): Promise<void>;
}

export async function openSession(config: Config, command: Command): Promise<Session> {
  const cleanups: Cleanups = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    if (needsDataDirLock(config, command)) {
      cleanups.push(
        await lockDataDir(config.dataDir).catch((err: unknown) => {
          throw err instanceof DataDirLockedError ? new DataDirLockedError(`${err.message}\n${lockedHint(config)}`) : err;
        }),
      );
    }
    const { db, applied } = await openStore(config, cleanups);
    const ctx = command.needs === 'services' ? await openContext(config, db, cleanups) : undefined;
    return { db, applied, ctx, close };
  } catch (err) {
    await close();
    throw err;
  }
}
