import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
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

/** A database of a test's own (PGlite in a new DATA_DIR, or a fresh database on the test server); close() removes it. */
export async function openScratchDatabase(prefix: string): Promise<{ db: Db; close(): Promise<void> }> {
  const dir = await newDataDir(prefix);
  const created = await createTestDatabase();
  const db = await openDatabase(dir, created?.url);
  return {
    db,
    async close() {
      await db.close();
      await created?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A new DATA_DIR for a server under test. On PGlite it already holds a
 * migrated database copied from a template: PGlite's initdb costs about 3 s a
 * database, the copy 0.4 s. The template is built once per migration set and
 * PGlite version and shared by test processes (made aside, then renamed in).
 */
export async function newDataDir(prefix: string): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  if (!TEST_DATABASE_URL) await cp(await pgliteTemplate(), join(dataDir, 'pgdata'), { recursive: true });
  return dataDir;
}

let template: Promise<string> | undefined;

function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const hash = createHash('sha256');
    hash.update(await readFile(join(root, 'node_modules/@electric-sql/pglite/package.json')));
    const migrations = join(root, 'src/store/migrations');
    for (const file of (await readdir(migrations)).sort()) hash.update(file).update(await readFile(join(migrations, file)));
    const dir = join(tmpdir(), `lnpayd-test-pgdata-${hash.digest('hex').slice(0, 16)}`);
    if (await readdir(dir).then(() => true, () => false)) return dir;
    const aside = await mkdtemp(join(tmpdir(), 'lnpayd-test-pgdata-new-'));
    const db = await openPglite(aside);
    await migrate(db);
    await db.close();
    await rename(aside, dir).catch(async () => rm(aside, { recursive: true, force: true }));
    return dir;
  })();
  return template;
}

/**
 * The database, except that its first transaction fails at once with SQLSTATE
 * `code` (as a deadlock, a constraint or a lost connection would reach a
 * caller), for testing what callers do with such a failure.
 */
export function failingOnce(db: Db, code: string): Db {
  let failed = false;
  return {
    ...db,
    query: db.query.bind(db),
    transaction: (fn) => {
      if (failed) return db.transaction(fn);
      failed = true;
      return Promise.reject(Object.assign(new Error(`fails with ${code}`), { code }));
    },
  };
}
