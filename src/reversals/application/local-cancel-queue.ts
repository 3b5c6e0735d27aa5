/**
 * The cancel queue when no Kafka is configured (the embedded default, so `npm start` needs no server):
 * relayed orders become rows of a job table, and timers run the same CancelWorker attempts with the same
 * retry policy the Kafka consumer follows. The attempt count and the next due time live in the table, so a
 * restart picks up every order where the last process left it.
 */
import type { Clock } from '../../payments/application/ports/clock.port';
import { delayAfterAttempt, type CancelRetryPolicy } from '../domain/retry-policy';
import type { AttemptResult, CancelWorker } from './cancel-worker';
import type { CancelJob, CancelJobStore } from './ports/cancel-jobs.port';
import type { OutboxRow, OutboxSink } from './ports/outbox.port';
import type { ReversalsLog } from './ports/reversals-log.port';

export interface LocalCancelQueueOptions {
  readonly policy: CancelRetryPolicy;
  /** Attempts in flight at once. */
  readonly concurrency: number;
  /** Longest sleep between looks at the table (a backstop: new and due jobs wake the queue themselves). */
  readonly pollIntervalMs: number;
  /** How long stop() lets running attempts finish. Default 5000. */
  readonly stopGraceMs?: number;
}

export class LocalCancelQueue implements OutboxSink {
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Jobs whose last attempt could not be stored: left alone until then (the database is likely down). */
  private readonly coolingUntil = new Map<string, number>();

  constructor(
    private readonly store: CancelJobStore,
    private readonly worker: CancelWorker,
    private readonly clock: Clock,
    private readonly log: ReversalsLog,
    private readonly options: LocalCancelQueueOptions,
  ) {}

  async deliver(rows: readonly OutboxRow[]): Promise<void> {
    await this.store.add(
      rows.map((r) => ({ key: r.key, payload: r.payload })),
      this.clock.now(),
    );
    this.wake();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  wake(): void {
    if (!this.running) return;
    void this.pump();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, this.options.stopGraceMs ?? 5_000))),
    ]);
    clearTimeout(grace);
  }

  /** Attempts running now (for tests and metrics). */
  busy(): number {
    return this.inFlight.size;
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    let retryAfterMs: number | undefined;
    try {
      do {
        this.pumpAgain = false;
        const free = this.options.concurrency - this.inFlight.size;
        if (!this.running || free <= 0) break;
        const now = this.clock.now();
        const excluded = new Set([...this.inFlight.keys(), ...this.cooling(now.getTime())]);
        for (const job of await this.store.due(now, free, excluded)) this.launch(job);
      } while (this.pumpAgain);
    } catch (err) {
      this.log.error({ err: describe(err) }, 'cancel queue could not read its jobs; will try again');
      retryAfterMs = this.options.pollIntervalMs;
    } finally {
      this.pumping = false;
    }
    if (this.running) await this.armTimer(retryAfterMs);
  }

  private launch(job: CancelJob): void {
    const run = this.attempt(job).finally(() => {
      this.inFlight.delete(job.key);
      this.wake();
    });
    this.inFlight.set(job.key, run);
  }

  private async attempt(job: CancelJob): Promise<void> {
    const attempt = job.attempts + 1;
    let result: AttemptResult;
    try {
      result = await this.worker.attempt(job.key, job.payload, attempt);
      const now = this.clock.now();
      switch (result.kind) {
        case 'done':
          await this.store.settle(job.key, { attempts: attempt, state: 'done', nextAttemptAt: now });
          return;
        case 'dead':
          await this.store.settle(job.key, {
            attempts: attempt,
            state: 'dead',
            nextAttemptAt: now,
            lastError: result.reason,
          });
          return;
        case 'retry': {
          // The worker reports 'dead' on the last attempt, so a retry always has a next wait.
          const waitMs = delayAfterAttempt(this.options.policy, attempt) ?? this.options.pollIntervalMs;
          const nextAttemptAt = new Date(now.getTime() + waitMs);
          await this.store.settle(job.key, {
            attempts: attempt,
            state: 'pending',
            nextAttemptAt,
            lastError: result.detail,
          });
          return;
        }
      }
    } catch (err) {
      // Not stored: the attempt counts as not made and runs again once the database answers.
      this.coolingUntil.set(job.key, this.clock.now().getTime() + this.options.pollIntervalMs);
      this.log.error(
        { key: job.key, attempt, err: describe(err) },
        'cancel attempt could not be stored; will try again',
      );
    }
  }

  private cooling(nowMs: number): string[] {
    for (const [key, until] of this.coolingUntil) if (until <= nowMs) this.coolingUntil.delete(key);
    return [...this.coolingUntil.keys()];
  }

  private async armTimer(retryAfterMs: number | undefined): Promise<void> {
    let waitMs = retryAfterMs ?? this.options.pollIntervalMs;
    if (retryAfterMs === undefined) {
      try {
        const excluded = new Set([...this.inFlight.keys(), ...this.cooling(this.clock.now().getTime())]);
        const next = await this.store.nextDueAt(excluded);
        if (next) waitMs = Math.min(waitMs, Math.max(0, next.getTime() - this.clock.now().getTime()));
      } catch {
        // The poll interval is the fallback; the failed read was or will be logged by a pump.
      }
    }
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), waitMs);
    this.timer.unref();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
