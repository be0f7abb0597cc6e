import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Db } from '../../src/store/db.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { openPostgres } from '../../src/store/postgres.ts';

/**
 * Tests run on embedded PGlite unless LNPAYD_TEST_DATABASE_URL names a
 * PostgreSQL server; then every server under test gets a fresh database.
 */
export const TEST_DATABASE_URL = process.env.LNPAYD_TEST_DATABASE_URL || undefined;

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  if (!TEST_DATABASE_URL) return undefined;
  const name = `lnpayd_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/** Opens a stopped server's database (its PGlite files, or the PostgreSQL URL) to inspect it. */
export async function openDatabase(dataDir: string, databaseUrl: string | undefined): Promise<Db> {
  return databaseUrl ? openPostgres(databaseUrl, 2) : openPglite(join(dataDir, 'pgdata'));
}
