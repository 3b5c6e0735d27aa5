/**
 * Hand-written SQL for the hot paths (payments, refunds, their history and outbox), one round trip per
 * step where the database allows it. TypeORM stays for migrations and the cold paths; on the payment path
 * its query building and per-statement round trips cost more than the rest of a purchase together.
 *
 * Statements use `?` placeholders and backquoted identifiers, which MySQL/MariaDB and SQLite both read.
 */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /**
   * The same statement written to change nothing unless the plan's guard held (`@write_guard = 1`), with
   * the same parameters. Lets a MySQL session send a guarded plan in one round trip; see InsertRows.
   */
  readonly guardedSql?: string;
  /** The table an INSERT writes to (set by InsertRows), so commit listeners can tell what was written. */
  readonly table?: string;
}

/** Dates are bound as UTC text (see sql-values.ts), so both databases store the same thing. */
export type SqlValue = string | number | null;

/**
 * One transaction: `guarded` statements run first and must each change exactly one row (an UPDATE at a
 * version); if one changes none, nothing is written and its `onMiss` error is thrown. Then `writes`.
 */
export interface WritePlan {
  readonly guarded?: readonly GuardedStatement[];
  readonly writes: readonly SqlStatement[];
  /**
   * Nobody waits on this write (e.g. an approval's delivery record): a session may hold it a few
   * milliseconds to send it together with others (MysqlSession, UnhurriedWrites).
   */
  readonly unhurried?: boolean;
}

/**
 * A transaction that writes only if `condition` holds when the plan starts, then a read after its commit:
 * one round trip on MySQL. `condition` is a SELECT of one value, 1 to write (read without locks, before
 * the transaction); every write needs its `guardedSql` (InsertRows gives it). The read runs whether or not
 * anything was written.
 */
export interface ConditionalPlan {
  readonly condition: SqlStatement;
  readonly writes: readonly SqlStatement[];
  readonly thenRead: SqlStatement;
}

export interface GuardedStatement {
  readonly statement: SqlStatement;
  readonly onMiss: () => Error;
}

export interface SqlSession {
  /** A read outside any transaction; rows keyed by column name. */
  select<Row>(statement: SqlStatement): Promise<Row[]>;
  /** Runs the plan atomically; a failing statement rolls everything back and rethrows its error. */
  write(plan: WritePlan): Promise<void>;
  /** Runs a ConditionalPlan: whether it wrote, and the rows of its read. */
  writeIf<Row>(plan: ConditionalPlan): Promise<{ written: boolean; rows: Row[] }>;
  /** Calls `listener` after each plan that committed (not after one refused by its guard or failed). */
  onCommit(listener: (plan: WritePlan) => void): () => void;
}

/** The listeners of SqlSession.onCommit; a listener that throws does not affect the write or the others. */
export class CommitListeners {
  private readonly listeners = new Set<(plan: WritePlan) => void>();

  add(listener: (plan: WritePlan) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  committed(plan: WritePlan): void {
    for (const listener of this.listeners) {
      try {
        listener(plan);
      } catch {
        // A listener is a notification (e.g. "wake the outbox relay"); the write has happened regardless.
      }
    }
  }
}

export function sql(text: string, ...params: SqlValue[]): SqlStatement {
  return { sql: text, params };
}
