import { UnverifiedBudget } from './unverified-budget';

describe('UnverifiedBudget', () => {
  it('admits so many per second, counts the rest, and reports them when the next second opens', () => {
    let now = 10_000;
    const budget = new UnverifiedBudget(2, () => now);
    expect([budget.admit(), budget.admit(), budget.admit(), budget.admit()].map((a) => a.admitted)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    now += 1_000;
    expect(budget.admit()).toEqual({ admitted: true, droppedBefore: 2 });
    expect(budget.admit()).toEqual({ admitted: true });
  });
});
