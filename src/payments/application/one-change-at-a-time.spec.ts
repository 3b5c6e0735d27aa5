import { OneChangeAtATime } from './one-change-at-a-time';

describe('OneChangeAtATime', () => {
  it('runs changes to one payment in order, never overlapping', async () => {
    const queue = new OneChangeAtATime();
    const seen: string[] = [];
    let running = 0;
    const step = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        running += 1;
        expect(running).toBe(1);
        seen.push(`start ${name}`);
        setTimeout(() => {
          running -= 1;
          seen.push(`end ${name}`);
          resolve(name);
        }, ms);
      });
    const results = await Promise.all([queue.run('p1', step('a', 20)), queue.run('p1', step('b', 1))]);
    expect(results).toEqual(['a', 'b']);
    expect(seen).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(queue.busy).toBe(0);
  });

  it('runs changes to different payments side by side', async () => {
    const queue = new OneChangeAtATime();
    let releaseFirst!: () => void;
    const first = queue.run('p1', () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    await expect(queue.run('p2', () => Promise.resolve('other'))).resolves.toBe('other');
    releaseFirst();
    await first;
  });

  it('goes on after a change that failed, and reports the failure to its caller only', async () => {
    const queue = new OneChangeAtATime();
    const failed = queue.run('p1', () => Promise.reject(new Error('version conflict')));
    const next = queue.run('p1', () => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('version conflict');
    await expect(next).resolves.toBe('next');
  });
});
