import { describe, expect, it } from 'vitest';
import { inBatches } from '../../src/page-data/in-batches.ts';

describe('inBatches', () => {
  it('gives the results in the items\' order, with at most `atOnce` running at a time', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 25 }, (_, i) => i);
    const results = await inBatches(items, 4, async (item, index) => {
      running += 1;
      most = Math.max(most, running);
      // Later items finish sooner, so the order of finishing is not the items' order.
      await new Promise((resolve) => setTimeout(resolve, 25 - item));
      running -= 1;
      return `${item}:${index}`;
    });
    expect(results).toEqual(items.map((i) => `${i}:${i}`));
    expect(most).toBe(4);
  });

  it('runs nothing for no items, and refuses a count that is not a positive whole number', async () => {
    expect(await inBatches([], 3, async () => 1)).toEqual([]);
    await expect(inBatches([1], 0, async (x) => x)).rejects.toThrow(/positive integer/);
  });

  it('fails when any call fails', async () => {
    await expect(inBatches([1, 2, 3], 2, async (x) => { if (x === 2) throw new Error('disk gone'); return x; })).rejects.toThrow('disk gone');
  });
});
