import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db, Queryable } from '../src/store/db.ts';
import { sqlState } from '../src/store/db.ts';
import { InsertBatcher } from '../src/store/insertBatcher.ts';
import { multiRowInsert } from '../src/store/multiRowInsert.ts';
import { openScratchDatabase } from './helpers/database.ts';

describe('InsertBatcher: single-row inserts of one turn as one statement', () => {
  let db: Db;
  let close: () => Promise<void>;
  const statement = multiRowInsert('b', ['id', 'n', 'doc'], { doc: 'jsonb' });
  const batcher = new InsertBatcher(statement);
  /** The database, counting the statements it is sent. */
  let statements: string[];
  let counted: Queryable;
  const ids = async (prefix: string) =>
    (await db.query<{ id: string }>('select id from b where id like $1 order by id', [`${prefix}%`])).map((r) => r.id);
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

  before(async () => {
    ({ db, close } = await openScratchDatabase('lnpayd-batch-'));
    await db.exec('create table b (id text primary key, n int not null check (n >= 0), doc jsonb)');
    counted = {
      query: (sql, params) => {
        statements.push(sql);
        return db.query(sql, params);
      },
    };
  });
  after(() => close());

  test('rows inserted in the same turn go out as one statement, with their jsonb', async () => {
    statements = [];
    const rows = names('a', 10);
    await Promise.all(rows.map((id, i) => batcher.insert(counted, [id, i, { i, nested: [id] }])));
    assert.equal(statements.length, 1);
    assert.match(statements[0] as string, /^insert into b \(id, n, doc\) values \(\$1, \$2, \$3::jsonb\), /);
    assert.deepEqual(await ids('a'), rows);
    const [doc] = await db.query<{ doc: unknown }>("select doc from b where id = 'a003'");
    assert.deepEqual(doc?.doc, { i: 3, nested: ['a003'] });
  });

  test('a row alone is inserted on its own; rows of later turns go in later statements', async () => {
    statements = [];
    await batcher.insert(counted, ['s1', 1, null]);
    await batcher.insert(counted, ['s2', 2, null]);
    assert.deepEqual(statements, [statement(1), statement(1)]);
    assert.deepEqual(await ids('s'), ['s1', 's2']);
  });

  test('a row that breaks a constraint fails alone, with its own error; the others are written', async () => {
    statements = [];
    const rows = names('c', 8);
    const results = await Promise.allSettled(rows.map((id, i) => batcher.insert(counted, [id, i === 5 ? -1 : i, null])));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 7);
    const failed = results[5];
    assert.equal(failed?.status, 'rejected');
    assert.equal(sqlState((failed as PromiseRejectedResult).reason), '23514');
    assert.deepEqual(await ids('c'), rows.filter((_, i) => i !== 5));
    // The batch, then each row again on its own.
    assert.equal(statements.length, 1 + rows.length);
  });

  test('a duplicate key in the batch fails only the row that repeats an existing id', async () => {
    await batcher.insert(db, ['d000', 0, null]);
    const rows = names('d', 4);
    const results = await Promise.allSettled(rows.map((id, i) => batcher.insert(db, [id, i, null])));
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    assert.equal(sqlState((results[0] as PromiseRejectedResult).reason), '23505');
    assert.deepEqual(await ids('d'), rows);
  });

  test('more rows than one statement takes are split into full statements', async () => {
    statements = [];
    const rows = names('m', 150);
    await Promise.all(rows.map((id, i) => batcher.insert(counted, [id, i, null])));
    assert.deepEqual(statements, [statement(64), statement(64), statement(22)]);
    assert.deepEqual(await ids('m'), rows);
  });
});
