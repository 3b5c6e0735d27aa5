/**
 * How many notifications that failed verification (malformed, unknown sender, bad signature) are written
 * to the log table and the log per second. Past it they are only counted, and the count is reported once
 * the next second opens: a flood of forged posts must not turn into a flood of database writes that
 * would delay the genuine notifications sharing the pool.
 */
export class UnverifiedBudget {
  private windowStart = 0;
  private used = 0;
  private dropped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this one may be logged in full; `droppedBefore` is set when a window of drops just closed. */
  admit(): { admitted: boolean; droppedBefore?: number } {
    const now = this.now();
    let droppedBefore: number | undefined;
    if (now - this.windowStart >= 1_000) {
      if (this.dropped > 0) droppedBefore = this.dropped;
      this.windowStart = now;
      this.used = 0;
      this.dropped = 0;
    }
    const admitted = this.used < this.perSecond;
    if (admitted) this.used += 1;
    else this.dropped += 1;
    return droppedBefore !== undefined ? { admitted, droppedBefore } : { admitted };
  }
}
