import { SelectBatcher } from './select-batcher';
import { sql, type SqlStatement } from './sql-session';

describe('SelectBatcher', () => {
  function recording(fail: (statements: readonly SqlStatement[]) => boolean = () => false) {
    const sent: string[][] = [];
    const batcher = new SelectBatcher(async (statements) => {
      sent.push(statements.map((s) => s.sql));
      if (fail(statements)) throw new Error('bad statement');
      return statements.map((s) => [{ echo: s.params[0] }]);
    }, 3);
    return { batcher, sent };
  }

  it('sends the reads of one turn together and hands each its own rows', async () => {
    const { batcher, sent } = recording();
    const [a, b] = await Promise.all([batcher.select(sql('A', 1)), batcher.select(sql('B', 2))]);
    expect(sent).toEqual([['A', 'B']]);
    expect([a, b]).toEqual([[{ echo: 1 }], [{ echo: 2 }]]);
  });

  it('sends a full batch at once and the rest with the next', async () => {
    const { batcher, sent } = recording();
    await Promise.all(['A', 'B', 'C', 'D'].map((name) => batcher.select(sql(name))));
    expect(sent).toEqual([['A', 'B', 'C'], ['D']]);
  });

  it('keeps reads of later turns apart', async () => {
    const { batcher, sent } = recording();
    await batcher.select(sql('A'));
    await batcher.select(sql('B'));
    expect(sent).toEqual([['A'], ['B']]);
  });

  it('when a batch fails, sends its reads one by one, so only the bad one fails', async () => {
    const { batcher, sent } = recording((statements) => statements.some((s) => s.sql === 'BAD'));
    const results = await Promise.allSettled([batcher.select(sql('A', 1)), batcher.select(sql('BAD'))]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: [{ echo: 1 }] });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: new Error('bad statement') });
    expect(sent).toEqual([['A', 'BAD'], ['A'], ['BAD']]);
  });
});
