/**
 * Each of `items` through `fn`, at most `atOnce` at a time, the results in `items`' order: for
 * file reads and writes, which wait on the disk (through libuv's thread pool), not on JavaScript,
 * so one at a time leaves both cores idle (a trust's timelines are 10,000 files).
 */
export async function inBatches<T, R>(items: readonly T[], atOnce: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(atOnce) || atOnce < 1) throw new Error(`atOnce must be a positive integer, not ${atOnce}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, run));
  return results;
}
