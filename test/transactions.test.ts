import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../src/store/db.ts';
import { openScratchDatabase } from './helpers/database.ts';

describe('transactions: writes handed to commitWith', () => {
  let db: Db;
  let close: () => Promise<void>;
  const rows = async () => (await db.query<{ id: string }>('select id from t order by id')).map((r) => r.id);

  before(async () => {
    ({ db, close } = await openScratchDatabase('lnpayd-tx-'));
    await db.exec('create table t (id text primary key, n int not null check (n >= 0))');
  });
  after(() => close());

  test('are committed with the rest of the transaction, and the result is returned', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query("insert into t (id, n) values ('a', 1)");
      tx.commitWith(tx.query("insert into t (id, n) values ('b', 1)"), tx.query("insert into t (id, n) values ('c', 1)"));
      return 'done';
    });
    assert.equal(result, 'done');
    assert.deepEqual(await rows(), ['a', 'b', 'c']);
  });

  test('one that fails rolls the whole transaction back, and its error is thrown', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query("insert into t (id, n) values ('d', 1)");
        tx.commitWith(tx.query("insert into t (id, n) values ('e', 1)"), tx.query("insert into t (id, n) values ('f', -1)"));
        return 'never';
      }),
      (err: { code?: string }) => err.code === '23514',
    );
    assert.deepEqual(await rows(), ['a', 'b', 'c']);
  });

  test('are rolled back when the function throws after handing them over', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        tx.commitWith(tx.query("insert into t (id, n) values ('g', 1)"));
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.deepEqual(await rows(), ['a', 'b', 'c']);
  });

  test('the connection is usable afterwards: many failed and committed transactions in a row', async () => {
    for (let i = 0; i < 30; i++) {
      const fail = i % 2 === 0;
      await db
        .transaction(async (tx) => {
          tx.commitWith(tx.query('insert into t (id, n) values ($1, $2)', [`z${String(i).padStart(2, '0')}`, fail ? -1 : 1]));
          return i;
        })
        .catch((err: { code?: string }) => assert.equal(err.code, '23514'));
    }
    const odd = Array.from({ length: 15 }, (_, k) => `z${String(2 * k + 1).padStart(2, '0')}`);
    assert.deepEqual(await rows(), ['a', 'b', 'c', ...odd]);
  });
});
