import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'node:v8';
import { BucketSums } from '../../server/engine/bucket-sums.js';
import { emptySums } from '../../shared/history.js';

/** Frozen buckets read back exactly as they were, and what reads or adds to them sees the same sums. */
describe('bucket sums, open and frozen', () => {
  const fill = (b: BucketSums, start: number, seed: number) => {
    const cells = b.cellsFor(start);
    const s = emptySums();
    s.checkedIn = seed;
    s.productiveMin = seed / 3 + 0.1 + 0.2;
    s.waits.push(seed * 1.5, 12.345678901234567);
    s.cx.touchpoints.waiting[0] += seed;
    cells.set('all\u0000all', s);
  };

  it('freezes, reads back the same numbers to the last bit, thaws on add, and survives a checkpoint', () => {
    const b = new BucketSums();
    for (let d = 0; d < 10; d++) fill(b, d * 1000, d + 1);
    const before = [...b.between(0, 10_000)].map(([k, c]) => [k, structuredClone([...c])]);
    b.freezeBefore(7000);
    expect(b.size).toBe(10);
    expect([...b.between(0, 10_000)].map(([k, c]) => [k, [...c]])).toEqual(before);
    // Reading a frozen bucket gives a copy: changing it does not change the bucket.
    [...b.between(0, 1000)][0]![1].get('all\u0000all')!.checkedIn = 999;
    expect([...b.between(0, 1000)][0]![1].get('all\u0000all')!.checkedIn).toBe(1);
    // Adding thaws it for good.
    b.cellsFor(2000).get('all\u0000all')!.checkedIn += 10;
    expect([...b.between(2000, 3000)][0]![1].get('all\u0000all')!.checkedIn).toBe(13);
    // Through a checkpoint's serialisation and back.
    const again = new BucketSums(deserialize(serialize(b.toData())));
    expect([...again.between(0, 10_000)].map(([k, c]) => [k, [...c]])).toEqual([...b.between(0, 10_000)].map(([k, c]) => [k, [...c]]));
    // Taken out oldest first, open or frozen.
    expect([...again.takeBefore(4000)].map(([k]) => k)).toEqual([0, 1000, 2000, 3000]);
    expect(again.keys().sort((x, y) => x - y)).toEqual([4000, 5000, 6000, 7000, 8000, 9000]);
    again.forgetBefore(8000);
    expect(again.size).toBe(2);
  });

  it('a query thaws only the dimension it reads', () => {
    const b = new BucketSums();
    fill(b, 0, 1);
    b.cellsFor(0).set('technician\u0000T1', emptySums());
    b.freezeBefore(1000);
    expect([...[...b.between(0, 1000, 'all')][0]![1].keys()]).toEqual(['all\u0000all']);
    expect([...[...b.between(0, 1000, 'technician')][0]![1].keys()]).toEqual(['technician\u0000T1']);
    expect([...[...b.between(0, 1000)][0]![1].keys()].sort()).toEqual(['all\u0000all', 'technician\u0000T1']);
    // Adding thaws every dimension.
    expect([...b.cellsFor(0).keys()].sort()).toEqual(['all\u0000all', 'technician\u0000T1']);
  });
});
