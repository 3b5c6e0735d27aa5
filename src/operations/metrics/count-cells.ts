import type { Counter } from 'prom-client';

/**
 * Counts kept as plain numbers under two label values and copied into a prom-client counter when it is
 * scraped. A prom-client child re-hashes its labels on every increment; on the per-message path a
 * cached cell's `n += 1` is all that runs.
 */
export class CountCells<A extends string, B extends string> {
  private readonly cells = new Map<string, Map<string, { n: number }>>();

  constructor(
    private readonly first: A,
    private readonly second: B,
  ) {}

  cell(a: string, b: string): { n: number } {
    let row = this.cells.get(a);
    if (!row) this.cells.set(a, (row = new Map<string, { n: number }>()));
    let cell = row.get(b);
    if (!cell) row.set(b, (cell = { n: 0 }));
    return cell;
  }

  /** Replaces the counter's values with the cells' totals (they only grow, so the counter stays monotonic). */
  publish(counter: Counter<A | B>): void {
    counter.reset();
    for (const [a, row] of this.cells)
      for (const [b, cell] of row)
        counter.inc({ [this.first]: a, [this.second]: b } as Record<A | B, string>, cell.n);
  }
}
