import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { TurnBatcher, type Waiting } from '../src/lib/turnBatcher.ts';

describe('TurnBatcher', () => {
  test('one turn’s items go out together, at most maxItems a batch; while every slot is busy, the next batch gathers', async () => {
    const batches: number[][] = [];
    let release = () => {};
    const batcher = new TurnBatcher<object, number, number>({ maxItems: 3, maxFlushing: 1 }, async (_key, batch: Waiting<number, number>[]) => {
      batches.push(batch.map((w) => w.item));
      await new Promise<void>((r) => (release = r));
      for (const w of batch) w.resolve(w.item * 10);
    });
    const key = {};
    const first = [1, 2, 3, 4].map((n) => batcher.submit(key, n));
    await nextTurn();
    assert.deepEqual(batches, [[1, 2, 3]]);
    const later = [5, 6].map((n) => batcher.submit(key, n));
    await nextTurn();
    assert.deepEqual(batches, [[1, 2, 3]], 'the one slot is busy: 4, 5 and 6 wait');
    release();
    await nextTurn();
    await nextTurn();
    assert.deepEqual(batches, [[1, 2, 3], [4, 5, 6]]);
    release();
    assert.deepEqual(await Promise.all([...first, ...later]), [10, 20, 30, 40, 50, 60]);
  });

  test('keys have their own batches, and a flush that throws rejects the items it left unsettled', async () => {
    const batcher = new TurnBatcher<object, string, string>({ maxItems: 10, maxFlushing: 2 }, async (_key, batch) => {
      batch[0]?.resolve('first');
      throw new Error(`batch of ${batch.length} failed`);
    });
    const [a, b] = [{}, {}];
    const results = await Promise.allSettled([batcher.submit(a, 'a1'), batcher.submit(a, 'a2'), batcher.submit(b, 'b1')]);
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))), [
      'first',
      'Error: batch of 2 failed',
      'first',
    ]);
  });

  test('with claims, an item naming what a batch in flight claims waits for it, and so do later items naming the same', async () => {
    const batches: string[][] = [];
    const releases: (() => void)[] = [];
    const batcher = new TurnBatcher<object, string, string>(
      { maxItems: 10, maxFlushing: 2, claims: (item) => item.split('') },
      async (_key, batch) => {
        batches.push(batch.map((w) => w.item));
        await new Promise<void>((r) => releases.push(r));
        for (const w of batch) w.resolve(w.item);
      },
    );
    const key = {};
    const first = ['ab', 'cd'].map((item) => batcher.submit(key, item));
    await nextTurn();
    assert.deepEqual(batches, [['ab', 'cd']]);
    // b is claimed by the batch in flight: bx waits, and so does xy behind it (it names x); ef and gh go.
    const later = ['bx', 'ef', 'xy', 'gh'].map((item) => batcher.submit(key, item));
    await nextTurn();
    assert.deepEqual(batches, [['ab', 'cd'], ['ef', 'gh']]);
    releases.splice(0).forEach((release) => release());
    await nextTurn();
    await nextTurn();
    assert.deepEqual(batches.slice(2), [['bx', 'xy']]);
    releases.splice(0).forEach((release) => release());
    assert.deepEqual(await Promise.all([...first, ...later]), ['ab', 'cd', 'bx', 'ef', 'xy', 'gh']);
  });
});
