/**
 * Runs the prune every RETENTION_INTERVAL_MS (first run one interval after start), keeping
 * RETENTION_DAYS of history; off when RETENTION_DAYS is 0. Runs never overlap.
 */
import type { Logger } from '../../logging/logger';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { pruneFinalRecords, type PruneResult } from './prune-final-records';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  retentionDays: number;
  intervalMs: number;
  batchSize: number;
}

export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneResult | undefined> | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly options: RetentionOptions,
    private readonly log: Logger,
    private readonly onPruned: (result: PruneResult) => void = () => undefined,
  ) {}

  start(): void {
    if (this.options.retentionDays <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One prune now (skipped while another runs); never rejects. */
  runOnce(now: Date = new Date()): Promise<PruneResult | undefined> {
    this.running ??= this.prune(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async prune(now: Date): Promise<PruneResult | undefined> {
    const cutoff = new Date(now.getTime() - this.options.retentionDays * DAY_MS);
    try {
      const result = await pruneFinalRecords(this.uow, cutoff, this.options.batchSize);
      this.onPruned(result);
      this.log.info({ cutoff: cutoff.toISOString(), deleted: result }, 'retention: old final records pruned');
      return result;
    } catch (err) {
      this.log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'retention prune failed; next run retries',
      );
      return undefined;
    }
  }
}
