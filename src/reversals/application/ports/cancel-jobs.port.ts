/**
 * The in-process cancel queue's state (no Kafka configured): one row per cancel order with its attempt
 * count and when it is due, so a restart carries on where the last process stopped.
 */
export type CancelJobState = 'pending' | 'done' | 'dead';

export interface CancelJob {
  /** The paymentRequestId. */
  readonly key: string;
  readonly payload: string;
  /** Attempts made so far. */
  readonly attempts: number;
  readonly state: CancelJobState;
  readonly firstSeenAt: Date;
  readonly nextAttemptAt: Date;
  readonly lastError?: string;
}

export interface CancelJobStore {
  /** Adds a pending job per order, due `at`; an order already queued (by key) is left as it is. */
  add(orders: readonly { key: string; payload: string }[], at: Date): Promise<void>;
  /** Pending jobs due by `now`, soonest first, leaving out `excluding`. */
  due(now: Date, limit: number, excluding: ReadonlySet<string>): Promise<CancelJob[]>;
  /** When the next pending job (other than `excluding`) is due, if any. */
  nextDueAt(excluding: ReadonlySet<string>): Promise<Date | undefined>;
  /** Stores an attempt's result. */
  settle(
    key: string,
    update: { attempts: number; state: CancelJobState; nextAttemptAt: Date; lastError?: string },
  ): Promise<void>;
}
