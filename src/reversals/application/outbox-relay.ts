/**
 * Moves outbox rows to their sink (Kafka, or the in-process cancel queue): reads unrelayed rows in id
 * order, delivers them, then stamps them relayed. At least once: a crash between delivery and stamp
 * delivers again, and every consumer is idempotent by key.
 *
 * Several instances may each run one: on MySQL a batch is read FOR UPDATE SKIP LOCKED and stamped in
 * the same transaction, so no row is handed on by two relays (store.relayLocked).
 *
 * It runs when woken (right after a commit that wrote an outbox row, so a reversal is on its way within
 * milliseconds) and on a backstop timer. A sink that fails (broker down) is retried with growing pauses
 * for as long as it takes; nothing upstream waits for it, terminals were answered when the row was stored.
 */
import type { Clock } from '../../payments/application/ports/clock.port';
import type { OutboxRow, OutboxSink, OutboxStore } from './ports/outbox.port';
import type { ReversalsLog } from './ports/reversals-log.port';

export interface OutboxRelayOptions {
  readonly kinds: readonly string[];
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** Longest pause between tries while the sink or the database fails. Default 5000. */
  readonly maxBackoffMs?: number;
  /** How long stop() waits for a delivery in progress (a send waiting out a broker outage). Default 5000. */
  readonly stopGraceMs?: number;
}

export interface RelayStats {
  readonly relayed: number;
  readonly failures: number;
}

export class OutboxRelay {
  private running = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private poller: NodeJS.Timeout | undefined;
  private relayed = 0;
  private failures = 0;
  private signalStop: () => void = () => undefined;
  private stopped: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: OutboxStore,
    private readonly sink: OutboxSink,
    private readonly clock: Clock,
    private readonly log: ReversalsLog,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = new Promise<void>((resolve) => (this.signalStop = resolve));
    this.wakeRequested = true; // rows left by the last process go first
    this.poller = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.poller.unref();
    this.loop = this.run();
  }

  /** Asks for a pass as soon as the current one (if any) ends. Cheap; safe to call from a commit hook. */
  wake(): void {
    this.wakeRequested = true;
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  /**
   * Stops after the current delivery, or after the grace if that delivery hangs. A row delivered but not
   * stamped is delivered again by the next start.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.poller);
    this.signalStop();
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.options.stopGraceMs ?? 5_000)),
    );
    await Promise.race([this.loop, grace]);
    clearTimeout(timer);
  }

  stats(): RelayStats {
    return { relayed: this.relayed, failures: this.failures };
  }

  private async run(): Promise<void> {
    let backoffMs = 0;
    while (this.running) {
      if (!this.wakeRequested) await new Promise<void>((resolve) => (this.wakeUp = resolve));
      if (!this.running) return;
      this.wakeRequested = false;
      try {
        await this.drain();
        backoffMs = 0;
      } catch (err) {
        this.failures += 1;
        backoffMs = Math.min(Math.max(backoffMs * 2, 100), this.options.maxBackoffMs ?? 5_000);
        this.log.warn({ err: describe(err), retryInMs: backoffMs }, 'outbox relay failed; will try again');
        await this.pause(backoffMs);
        this.wakeRequested = true;
      }
    }
  }

  private async drain(): Promise<void> {
    for (let look = true; this.running; look = false) {
      const count = await this.relayBatch(look);
      if (count === 0) return;
      this.relayed += count;
      if (count < this.options.batchSize) return;
    }
  }

  /**
   * One batch; where the store locks rows, relays of other instances skip the ones this one holds. `look`:
   * the first batch of a pass, which usually finds nothing.
   */
  private async relayBatch(look: boolean): Promise<number> {
    const { kinds, batchSize } = this.options;
    const deliver = (rows: readonly OutboxRow[]) => this.sink.deliver(rows);
    if (this.store.relayLocked) {
      // Nothing to relay is the usual answer of a look: one plain read, not a locking transaction (four
      // statements a second per instance). A row another relay holds is seen here and skipped there.
      if (look && (await this.store.unrelayed(kinds, 1)).length === 0) return 0;
      return this.store.relayLocked(kinds, batchSize, deliver, () => this.clock.now());
    }
    const rows = await this.store.unrelayed(kinds, batchSize);
    if (rows.length === 0) return 0;
    await deliver(rows);
    await this.store.markRelayed(
      rows.map((r) => r.id),
      this.clock.now(),
    );
    return rows.length;
  }

  /** A pause that stop() cuts short; wakes do not, or a failing sink would be hammered. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
