import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newId, randomAlnum } from '../src/lib/random.ts';

describe('random ids', () => {
  test('prefix plus the length asked, from [A-Za-z0-9] only, never repeated', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('wtx_', 24));
    for (const id of ids) assert.match(id, /^wtx_[A-Za-z0-9]{24}$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('every character equally likely, across many refills of the byte pool', () => {
    const counts = new Map<string, number>();
    for (const c of randomAlnum(124_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 62);
    // 2,000 expected each, standard deviation ~44: these bounds are ~7 of them.
    for (const [c, n] of counts) assert.ok(n > 1_700 && n < 2_300, `${c} drawn ${n} times`);
  });
});
