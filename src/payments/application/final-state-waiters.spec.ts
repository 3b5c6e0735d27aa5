import { FinalStateWaiters } from './final-state-waiters';
import { TimeoutScheduler } from './system-time';

interface Item {
  id: string;
  version: number;
  done: boolean;
}

describe('FinalStateWaiters', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: new Date('2025-01-15T10:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask'] }),
  );
  afterEach(() => jest.useRealTimers());

  const until = (ms: number) => new Date(Date.now() + ms);

  it('resolves at once when the stored item is already done', async () => {
    const watch = new FinalStateWaiters<Item>(new TimeoutScheduler());
    await expect(
      watch.waitFor(
        'a',
        async () => ({ id: 'a', version: 3, done: true }),
        (i) => i.done,
        until(1_000),
      ),
    ).resolves.toMatchObject({ version: 3 });
    expect(watch.size()).toBe(0);
  });

  it('resolves on the first published change that is done', async () => {
    const watch = new FinalStateWaiters<Item>(new TimeoutScheduler());
    const waiting = watch.waitFor(
      'a',
      async () => ({ id: 'a', version: 1, done: false }),
      (i) => i.done,
      until(1_000),
    );
    await jest.advanceTimersByTimeAsync(0);
    watch.publish({ id: 'b', version: 9, done: true });
    watch.publish({ id: 'a', version: 2, done: false });
    watch.publish({ id: 'a', version: 3, done: true });
    await expect(waiting).resolves.toMatchObject({ version: 3 });
    expect(watch.size()).toBe(0);
  });

  it('gives the newest version seen when time is up, never an older load over a newer publication', async () => {
    const watch = new FinalStateWaiters<Item>(new TimeoutScheduler());
    let releaseLoad!: (item: Item) => void;
    const load = new Promise<Item>((resolve) => (releaseLoad = resolve));
    const waiting = watch.waitFor(
      'a',
      () => load,
      (i) => i.done,
      until(1_000),
    );
    watch.publish({ id: 'a', version: 2, done: false });
    releaseLoad({ id: 'a', version: 1, done: false });
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(waiting).resolves.toMatchObject({ version: 2 });
  });

  it('survives a failing load', async () => {
    const watch = new FinalStateWaiters<Item>(new TimeoutScheduler());
    const waiting = watch.waitFor(
      'a',
      () => Promise.reject(new Error('db down')),
      (i) => i.done,
      until(500),
    );
    await jest.advanceTimersByTimeAsync(500);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('reads again at the poll interval while another instance drives the item, and stops polling once done', async () => {
    const watch = new FinalStateWaiters<Item & { owner: string }>(new TimeoutScheduler());
    const stored = { id: 'a', version: 1, done: false, owner: 'b' };
    let reads = 0;
    const read = async () => {
      reads += 1;
      return { ...stored };
    };
    const waiting = watch.waitFor('a', read, (i) => i.done, until(5_000), { when: (i) => i.owner !== 'a', everyMs: 250, load: read });
    await jest.advanceTimersByTimeAsync(600);
    expect(reads).toBe(3); // at once, 250 ms, 500 ms: no event reaches this instance
    Object.assign(stored, { version: 2, done: true });
    await jest.advanceTimersByTimeAsync(250);
    await expect(waiting).resolves.toMatchObject({ version: 2, done: true });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(reads).toBe(4);
  });

  it('does not poll an item this instance drives: its own events are published to it', async () => {
    const watch = new FinalStateWaiters<Item & { owner: string }>(new TimeoutScheduler());
    let reads = 0;
    const read = async () => {
      reads += 1;
      return { id: 'a', version: 1, done: false, owner: 'a' };
    };
    const waiting = watch.waitFor('a', read, (i) => i.done, until(1_000), { when: (i) => i.owner !== 'a', everyMs: 100, load: read });
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(waiting).resolves.toMatchObject({ version: 1 });
    expect(reads).toBe(1);
  });
});
