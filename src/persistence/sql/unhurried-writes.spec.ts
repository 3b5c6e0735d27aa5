import type { WritePlan } from './sql-session';
import { UnhurriedWrites } from './unhurried-writes';

const plan = (name: string): WritePlan => ({ writes: [{ sql: name, params: [] }] });
const names = (plans: readonly WritePlan[]) => plans.map((p) => p.writes[0].sql);

describe('UnhurriedWrites', () => {
  it('gathers the writes of the delay into one trip and reports each plan its own outcome', async () => {
    const trips: string[][] = [];
    const writes = new UnhurriedWrites(
      async (plans) => {
        trips.push(names(plans));
        return plans.map((p) => (p.writes[0].sql === 'stale' ? new Error('version conflict') : undefined));
      },
      () => Promise.reject(new Error('not alone')),
      10,
    );
    const results = await Promise.allSettled([writes.write(plan('a')), writes.write(plan('stale')), writes.write(plan('c'))]);
    expect(trips).toEqual([['a', 'stale', 'c']]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('sends a full batch at once, and a lone write on its own', async () => {
    const together: string[][] = [];
    const alone: string[] = [];
    const writes = new UnhurriedWrites(
      async (plans) => (together.push(names(plans)), plans.map(() => undefined)),
      async (p) => void alone.push(p.writes[0].sql),
      60_000,
      2,
    );
    await Promise.all([writes.write(plan('a')), writes.write(plan('b'))]);
    expect(together).toEqual([['a', 'b']]);
    const lone = writes.write(plan('c'));
    writes.flush();
    await lone;
    expect(alone).toEqual(['c']);
    expect(writes.pending).toBe(0);
  });

  it('sends every plan again on its own when the shared trip fails, so one bad plan fails only itself', async () => {
    const alone: string[] = [];
    const writes = new UnhurriedWrites(
      () => Promise.reject(new Error('deadlock')),
      async (p) => {
        alone.push(p.writes[0].sql);
        if (p.writes[0].sql === 'bad') throw new Error('bad plan');
      },
      5,
    );
    const results = await Promise.allSettled([writes.write(plan('a')), writes.write(plan('bad'))]);
    expect(alone).toEqual(['a', 'bad']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  });
});
