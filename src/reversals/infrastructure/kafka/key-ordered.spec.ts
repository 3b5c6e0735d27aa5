import { inKeyOrder } from './key-ordered';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inKeyOrder', () => {
  it('keeps each key in order, runs distinct keys side by side, and returns results in input order', async () => {
    // 'a' 1 is slow: it finishes only once the three others that can overtake it have (no timing guesses).
    const items = [
      { key: 'a', n: 1 },
      { key: 'b', n: 2 },
      { key: 'a', n: 3 },
      { key: 'c', n: 4 },
      { key: 'b', n: 5 },
    ];
    const started: number[] = [];
    const finished: number[] = [];
    let overtaken: () => void = () => undefined;
    const othersDone = new Promise<void>((resolve) => (overtaken = resolve));
    let running = 0;
    let most = 0;
    const results = await inKeyOrder(
      items,
      (i) => i.key,
      2,
      async (i) => {
        started.push(i.n);
        most = Math.max(most, ++running);
        await (i.n === 1 ? othersDone : tick(1));
        running--;
        finished.push(i.n);
        if ([2, 4, 5].every((n) => finished.includes(n))) overtaken();
        return i.n * 10;
      },
    );
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
    // 'a' 3 starts only after 'a' 1 finished; 'b' and 'c' overtake the slow 'a' 1.
    expect(started.indexOf(3)).toBeGreaterThan(finished.indexOf(1));
    expect(finished.indexOf(5)).toBeLessThan(finished.indexOf(1));
    expect(finished.indexOf(4)).toBeLessThan(finished.indexOf(1));
  });

  it('with a limit of 1, runs one at a time and finishes a key before the next', async () => {
    const order: string[] = [];
    await inKeyOrder(
      ['x1', 'y1', 'x2'],
      (s) => s[0],
      1,
      async (s) => void order.push(s),
    );
    expect(order).toEqual(['x1', 'x2', 'y1']);
  });

  it('does nothing with no items', async () => {
    expect(
      await inKeyOrder(
        [],
        () => 'k',
        4,
        async () => 1,
      ),
    ).toEqual([]);
  });
});
