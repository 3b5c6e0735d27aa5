import type { SqlStatement } from './sql-session';

interface Waiting {
  readonly statement: SqlStatement;
  readonly resolve: (rows: unknown[]) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Reads asked for in the same turn of the event loop travel together: one multi-statement query, one
 * round trip, for up to `maxBatch` SELECTs (a purchase's two STAN lookups, and under load the lookups of
 * every request that arrived in that turn). Each round trip costs both processes a system call and a
 * wake-up, which at a few hundred purchases a second is more than the SELECTs themselves.
 * If a batch fails, its statements are sent again one by one, so one bad read fails only itself.
 */
export class SelectBatcher {
  private waiting: Waiting[] = [];

  constructor(
    private readonly send: (statements: readonly SqlStatement[]) => Promise<unknown[]>,
    private readonly maxBatch = 32,
  ) {}

  select<Row>(statement: SqlStatement): Promise<Row[]> {
    return new Promise<unknown[]>((resolve, reject) => {
      this.waiting.push({ statement, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
      else if (this.waiting.length >= this.maxBatch) this.flush();
    }) as Promise<Row[]>;
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.send(batch.map((w) => w.statement)).then(
      (results) => batch.forEach((w, i) => w.resolve(results[i] as unknown[])),
      (err: unknown) => {
        if (batch.length === 1) batch[0].reject(err);
        else
          for (const w of batch) this.send([w.statement]).then((r) => w.resolve(r[0] as unknown[]), w.reject);
      },
    );
  }
}
