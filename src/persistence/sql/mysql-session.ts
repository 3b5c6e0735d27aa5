import type { DataSource } from 'typeorm';
import { SelectBatcher } from './select-batcher';
import { UnhurriedWrites } from './unhurried-writes';
import {
  CommitListeners,
  type ConditionalPlan,
  type GuardedStatement,
  type SqlSession,
  type SqlStatement,
  type WritePlan,
} from './sql-session';

/** The callback API of the mysql2 pool TypeORM opened (one pool for the whole process). */
interface PoolConnection {
  query(
    sql: string,
    params: readonly unknown[],
    callback: (err: Error | null, result: unknown) => void,
  ): void;
  release(): void;
  destroy(): void;
}
interface Pool extends Pick<PoolConnection, 'query'> {
  getConnection(callback: (err: Error | null, connection: PoolConnection) => void): void;
}

interface Header {
  affectedRows: number;
}

/**
 * How long an unhurried write waits for others. At a few hundred purchases a second that gathers several
 * delivery records per round trip; nothing that reads them is in a hurry (the gateway timeout is 75 s).
 */
const UNHURRIED_WRITE_DELAY_MS = 20;

/**
 * MySQL/MariaDB through TypeORM's mysql2 pool, which is opened with `multipleStatements`, so a whole
 * transaction goes in one round trip (`START TRANSACTION; ...; COMMIT`), also one with a single versioned
 * UPDATE as its guard. Several guards take two (the UPDATEs, then the writes and COMMIT, or ROLLBACK).
 * Parameters are escaped by mysql2 on the client.
 */
export class MysqlSession implements SqlSession {
  private readonly reads = new SelectBatcher((statements) => this.query(statements));
  private readonly commits = new CommitListeners();
  private readonly unhurried = new UnhurriedWrites(
    (plans) => this.writeTogether(plans),
    (plan) => this.writeNow(plan),
    UNHURRIED_WRITE_DELAY_MS,
  );

  constructor(private readonly dataSource: DataSource) {}

  /** Batched with the other reads of the same event-loop turn (SelectBatcher). */
  select<Row>(statement: SqlStatement): Promise<Row[]> {
    return this.reads.select<Row>(statement);
  }

  write(plan: WritePlan): Promise<void> {
    return plan.unhurried && fitsOneTrip(plan) ? this.unhurried.write(plan) : this.writeNow(plan);
  }

  private async writeNow(plan: WritePlan): Promise<void> {
    const connection = await this.connect();
    let miss: Error | undefined;
    try {
      miss = await this.transaction(connection, plan);
    } catch (err) {
      await rollBackOrDiscard(connection);
      throw err;
    }
    connection.release();
    if (miss) throw miss;
    this.commits.committed(plan);
  }

  onCommit(listener: (plan: WritePlan) => void): () => void {
    return this.commits.add(listener);
  }

  /** `SET @write_guard = (condition)`, the guarded writes between START TRANSACTION and COMMIT, the read. */
  async writeIf<Row>(plan: ConditionalPlan): Promise<{ written: boolean; rows: Row[] }> {
    const connection = await this.connect();
    let results: unknown[];
    try {
      results = await run(connection, [
        { sql: `SET @write_guard = (${plan.condition.sql})`, params: plan.condition.params },
        'START TRANSACTION',
        ...plan.writes.map(guardedTwin),
        'COMMIT',
        'SELECT @write_guard AS `written`',
        plan.thenRead,
      ]);
    } catch (err) {
      await rollBackOrDiscard(connection);
      throw err;
    }
    connection.release();
    const [guard] = results[results.length - 2] as Array<{ written: unknown }>;
    const written = Number(guard?.written) === 1;
    if (written) this.commits.committed({ writes: plan.writes });
    return { written, rows: results[results.length - 1] as Row[] };
  }

  /** Runs the plan to its end (COMMIT, or ROLLBACK on a miss); resolves with the missed guard's error. */
  private async transaction(connection: PoolConnection, plan: WritePlan): Promise<Error | undefined> {
    const guarded = plan.guarded ?? [];
    if (guarded.length === 0) {
      // One statement is a transaction of its own (autocommit): two statements fewer for MariaDB to parse.
      await run(connection, plan.writes.length === 1 ? plan.writes : ['START TRANSACTION', ...plan.writes, 'COMMIT']);
      return undefined;
    }
    if (fitsOneTrip(plan)) return this.writeInOneTrip(connection, guarded[0], plan.writes);
    return this.writeInTwoTrips(connection, guarded, plan.writes);
  }

  /**
   * The versioned UPDATE, then writes that only take effect if it matched (`@write_guard`), then COMMIT:
   * when the UPDATE missed, the transaction commits nothing and the miss is reported.
   */
  private async writeInOneTrip(
    connection: PoolConnection,
    guard: GuardedStatement,
    writes: readonly SqlStatement[],
  ): Promise<Error | undefined> {
    const results = await run(connection, [
      'START TRANSACTION',
      guard.statement,
      'SET @write_guard = ROW_COUNT()',
      ...writes.map(guardedTwin),
      'COMMIT',
    ]);
    return (results[1] as Header).affectedRows === 1 ? undefined : guard.onMiss();
  }

  /**
   * Several one-trip plans in one round trip and one transaction, so one commit (one redo log flush) for
   * all of them; resolves with each plan's missed guard (undefined when it wrote). A plan whose guard
   * misses writes nothing, as its writes only take effect under its own guard; the others are unaffected.
   * A failing statement rolls the whole trip back, and UnhurriedWrites sends each plan again on its own.
   */
  private async writeTogether(plans: readonly WritePlan[]): Promise<(Error | undefined)[]> {
    const statements: (SqlStatement | string)[] = ['START TRANSACTION'];
    const guardResultAt: (number | undefined)[] = [];
    for (const plan of plans) {
      const guard = plan.guarded?.[0];
      if (guard) {
        guardResultAt.push(statements.length);
        statements.push(guard.statement, 'SET @write_guard = ROW_COUNT()', ...plan.writes.map(guardedTwin));
      } else {
        guardResultAt.push(undefined);
        statements.push(...plan.writes);
      }
    }
    statements.push('COMMIT');
    const connection = await this.connect();
    let results: unknown[];
    try {
      results = await run(connection, statements);
    } catch (err) {
      await rollBackOrDiscard(connection);
      throw err;
    }
    connection.release();
    return plans.map((plan, i) => {
      const at = guardResultAt[i];
      if (at !== undefined && (results[at] as Header).affectedRows !== 1) return plan.guarded![0].onMiss();
      this.commits.committed(plan);
      return undefined;
    });
  }

  /** Guards first; only if every one matched, the writes and COMMIT (otherwise ROLLBACK). */
  private async writeInTwoTrips(
    connection: PoolConnection,
    guarded: readonly GuardedStatement[],
    writes: readonly SqlStatement[],
  ): Promise<Error | undefined> {
    const results = (await run(connection, [
      'START TRANSACTION',
      ...guarded.map((g) => g.statement),
    ])) as Header[];
    const missed = guarded.findIndex((_, i) => results[i + 1]?.affectedRows !== 1);
    if (missed >= 0) {
      await run(connection, ['ROLLBACK']);
      return guarded[missed].onMiss();
    }
    await run(connection, [...writes, 'COMMIT']);
    return undefined;
  }

  /** Statements outside any transaction, as one multi-statement query on any pooled connection. */
  private query(statements: readonly SqlStatement[]): Promise<unknown[]> {
    const { text, params } = joined(statements);
    return new Promise((resolve, reject) =>
      this.pool().query(text, params, (err, result) =>
        err ? reject(err) : resolve(statements.length === 1 ? [result] : (result as unknown[])),
      ),
    );
  }

  private connect(): Promise<PoolConnection> {
    return new Promise((resolve, reject) =>
      this.pool().getConnection((err, connection) => (err ? reject(err) : resolve(connection))),
    );
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { pool: Pool }).pool;
  }
}

/** No guard, or one whose writes all have their guarded twin: the plan goes in one round trip. */
function fitsOneTrip(plan: WritePlan): boolean {
  const guarded = plan.guarded ?? [];
  return guarded.length === 0 || (guarded.length === 1 && plan.writes.every((w) => w.guardedSql !== undefined));
}

/** The write as it only takes effect when the plan's guard matched (`@write_guard = 1`). */
function guardedTwin(w: SqlStatement): SqlStatement {
  return { sql: w.guardedSql!, params: w.params };
}

/** Sends the statements as one multi-statement query; results come back one per statement. */
function run(connection: PoolConnection, statements: readonly (SqlStatement | string)[]): Promise<unknown[]> {
  const { text, params } = joined(statements);
  return new Promise((resolve, reject) =>
    connection.query(text, params, (err, result) =>
      err ? reject(err) : resolve(statements.length === 1 ? [result] : (result as unknown[])),
    ),
  );
}

function joined(statements: readonly (SqlStatement | string)[]): { text: string; params: unknown[] } {
  return {
    text: statements.map((s) => (typeof s === 'string' ? s : s.sql)).join(';\n'),
    params: statements.flatMap((s) => (typeof s === 'string' ? [] : s.params)),
  };
}

/** A failed statement leaves the transaction open; a connection that cannot even roll back is not reused. */
async function rollBackOrDiscard(connection: PoolConnection): Promise<void> {
  try {
    await run(connection, ['ROLLBACK']);
    connection.release();
  } catch {
    connection.destroy();
  }
}
