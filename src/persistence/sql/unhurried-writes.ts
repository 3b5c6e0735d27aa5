import type { WritePlan } from './sql-session';

interface Waiting {
  readonly plan: WritePlan;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Writes nobody waits on (an approval's delivery record, made after the terminal has its answer) wait up
 * to `delayMs` for company and travel together: one round trip for up to `maxBatch` plans, each with its
 * own guard. A plan whose guard misses fails alone. If the trip itself fails, every plan of it is sent
 * again on its own, so a bad plan fails only itself (MysqlSession sends a trip as one transaction, so
 * nothing of a failed trip stays written).
 * A write still waiting when the process dies is lost like any write in flight: what is unhurried must be
 * safe to lose (an unrecorded delivery counts as delivered; a notification is only answered once its log
 * row is written, so Alipay sends it again).
 */
export class UnhurriedWrites {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Sends the plans in one trip; resolves with each plan's missed-guard error, or undefined. */
    private readonly sendTogether: (plans: readonly WritePlan[]) => Promise<(Error | undefined)[]>,
    private readonly sendAlone: (plan: WritePlan) => Promise<void>,
    private readonly delayMs: number,
    private readonly maxBatch = 32,
  ) {}

  write(plan: WritePlan): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ plan, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  /** Sends what waits now (a full batch, or the delay is over). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      this.sendAlone(batch[0].plan).then(batch[0].resolve, batch[0].reject);
      return;
    }
    this.sendTogether(batch.map((w) => w.plan)).then(
      (misses) => batch.forEach((w, i) => (misses[i] ? w.reject(misses[i]) : w.resolve())),
      () => {
        for (const w of batch) this.sendAlone(w.plan).then(w.resolve, w.reject);
      },
    );
  }

  get pending(): number {
    return this.waiting.length;
  }
}
