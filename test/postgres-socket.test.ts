import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPostgres } from '../src/store/postgres.ts';

// A URL naming a Unix-socket directory the libpq way (…?host=/dir); .ci/run sets it for its PostgreSQL.
const SOCKET_URL = process.env.LNPAYD_TEST_DATABASE_SOCKET_URL || undefined;

test('DATABASE_URL with ?host=/dir connects through the Unix socket in that directory', { skip: !SOCKET_URL && 'LNPAYD_TEST_DATABASE_SOCKET_URL is not set' }, async () => {
  const db = await openPostgres(SOCKET_URL as string, 2);
  try {
    // PostgreSQL reports no client address for a Unix-socket connection.
    const [row] = await db.query<{ addr: string | null }>('select inet_client_addr()::text as addr');
    assert.equal(row?.addr, null);
    const seen = await db.transaction(async (tx) => {
      const [r] = await tx.query<{ n: number }>('select 41 + 1 as n');
      return r?.n;
    });
    assert.equal(seen, 42);
  } finally {
    await db.close();
  }
});
