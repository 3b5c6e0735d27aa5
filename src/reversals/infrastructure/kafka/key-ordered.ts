/**
 * Runs `work` over `items` with up to `limit` at a time, but never two of the same key at once and,
 * within a key, in the items' order: what a partition's order promises is per key, so distinct keys may
 * overtake each other. Resolves with the results in the items' order.
 */
export async function inKeyOrder<T, R>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const chains = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    const chain = chains.get(key);
    if (chain) chain.push(index);
    else chains.set(key, [index]);
  });
  const queue = [...chains.values()];
  const results = new Array<R>(items.length);
  const runner = async (): Promise<void> => {
    for (let chain = queue.shift(); chain; chain = queue.shift()) {
      for (const index of chain) results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, runner));
  return results;
}
