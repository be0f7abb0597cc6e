import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db, Queryable } from '../src/store/db.ts';
import { sqlState } from '../src/store/db.ts';
import { InsertBatcher } from '../src/store/insertBatcher.ts';
import { rowsInsert } from '../src/store/rowsInsert.ts';
import { openScratchDatabase } from './helpers/database.ts';

describe('InsertBatcher: single-row inserts of one turn as one statement', () => {
  let db: Db;
  let close: () => Promise<void>;
  interface Row {
    id: string;
    n: number;
    doc: unknown;
  }
  const statement = rowsInsert<Row>('b', { id: 'text', n: 'int4', doc: 'jsonb' });
  const batcher = new InsertBatcher(statement);
  /** The database, keeping the number of rows of each statement it is sent. */
  let statements: number[];
  let counted: Queryable;
  const ids = async (prefix: string) =>
    (await db.query<{ id: string }>('select id from b where id like $1 order by id', [`${prefix}%`])).map((r) => r.id);
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

  before(async () => {
    ({ db, close } = await openScratchDatabase('lnpayd-batch-'));
    await db.exec('create table b (id text primary key, n int not null check (n >= 0), doc jsonb)');
    counted = {
      query: (sql, params) => {
        assert.equal(sql, statement.sql);
        statements.push((params?.[0] as { rows: Row[] }).rows.length);
        return db.query(sql, params);
      },
    };
  });
  after(() => close());

  test('rows inserted in the same turn go out as one statement, with their jsonb', async () => {
    statements = [];
    const rows = names('a', 10);
    await Promise.all(rows.map((id, i) => batcher.insert(counted, { id, n: i, doc: { i, nested: [id] } })));
    assert.deepEqual(statements, [10]);
    assert.deepEqual(await ids('a'), rows);
    const [doc] = await db.query<{ doc: unknown }>("select doc from b where id = 'a003'");
    assert.deepEqual(doc?.doc, { i: 3, nested: ['a003'] });
  });

  test('a row alone is inserted on its own; rows of later turns go in later statements', async () => {
    statements = [];
    await batcher.insert(counted, { id: 's1', n: 1, doc: null });
    await batcher.insert(counted, { id: 's2', n: 2, doc: null });
    assert.deepEqual(statements, [1, 1]);
    assert.deepEqual(await ids('s'), ['s1', 's2']);
  });

  test('a row that breaks a constraint fails alone, with its own error; the others are written', async () => {
    statements = [];
    const rows = names('c', 8);
    const results = await Promise.allSettled(rows.map((id, i) => batcher.insert(counted, { id, n: i === 5 ? -1 : i, doc: null })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 7);
    const failed = results[5];
    assert.equal(failed?.status, 'rejected');
    assert.equal(sqlState((failed as PromiseRejectedResult).reason), '23514');
    assert.deepEqual(await ids('c'), rows.filter((_, i) => i !== 5));
    // The batch, then each row again on its own.
    assert.deepEqual(statements, [rows.length, ...rows.map(() => 1)]);
  });

  test('a duplicate key in the batch fails only the row that repeats an existing id', async () => {
    await batcher.insert(db, { id: 'd000', n: 0, doc: null });
    const rows = names('d', 4);
    const results = await Promise.allSettled(rows.map((id, i) => batcher.insert(db, { id, n: i, doc: null })));
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    assert.equal(sqlState((results[0] as PromiseRejectedResult).reason), '23505');
    assert.deepEqual(await ids('d'), rows);
  });

  test('more rows than one statement takes are split into full statements', async () => {
    statements = [];
    const rows = names('m', 150);
    await Promise.all(rows.map((id, i) => batcher.insert(counted, { id, n: i, doc: null })));
    assert.deepEqual(statements, [64, 64, 22]);
    assert.deepEqual(await ids('m'), rows);
  });

  test('values survive the trip as JSON: quotes, backslashes, unicode, 2^53 - 1, nulls, nested jsonb', async () => {
    const big = rowsInsert<{ id: string; big: number | null; doc: unknown }>('j', { id: 'text', big: 'int8', doc: 'jsonb' });
    await db.exec('create table j (id text primary key, big bigint, doc jsonb)');
    const rows = [
      { id: `q"'\\\n\t ü ⚡ 𝄞`, big: Number.MAX_SAFE_INTEGER, doc: { s: '"\\', a: [1, null, { b: true }] } },
      { id: 'nulls', big: null, doc: null },
    ];
    await db.query(big.sql, big.params(rows));
    const back = await db.query<{ id: string; big: string | number | null; doc: unknown }>('select id, big, doc from j order by big nulls last');
    assert.deepEqual(
      back.map((r) => ({ ...r, big: r.big === null ? null : Number(r.big) })),
      rows,
    );
  });
});
