import type { DataSource } from 'typeorm';
import type { SqlSession, SqlStatement, WritePlan } from './sql-session';

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
interface Pool {
  getConnection(callback: (err: Error | null, connection: PoolConnection) => void): void;
  query(
    sql: string,
    params: readonly unknown[],
    callback: (err: Error | null, result: unknown) => void,
  ): void;
}

interface Header {
  affectedRows: number;
}

/**
 * MySQL/MariaDB through TypeORM's mysql2 pool, which is opened with `multipleStatements`: a transaction
 * without a guard is one round trip (`START TRANSACTION; ...; COMMIT`), one with a guard two (the guarded
 * UPDATEs, then the writes and COMMIT, or ROLLBACK). Parameters are escaped by mysql2 on the client.
 */
export class MysqlSession implements SqlSession {
  constructor(private readonly dataSource: DataSource) {}

  select<Row>(statement: SqlStatement): Promise<Row[]> {
    return new Promise((resolve, reject) =>
      this.pool().query(statement.sql, statement.params, (err, rows) =>
        err ? reject(err) : resolve(rows as Row[]),
      ),
    );
  }

  async write(plan: WritePlan): Promise<void> {
    const connection = await this.connect();
    let open = false;
    try {
      const guarded = plan.guarded ?? [];
      if (guarded.length > 0) {
        open = true;
        const results = (await run(connection, [
          'START TRANSACTION',
          ...guarded.map((g) => g.statement),
        ])) as Header[];
        const missed = guarded.findIndex((_, i) => results[i + 1]?.affectedRows !== 1);
        if (missed >= 0) {
          open = false;
          await run(connection, ['ROLLBACK']);
          throw guarded[missed].onMiss();
        }
        await run(connection, [...plan.writes, 'COMMIT']);
      } else {
        open = true;
        await run(connection, ['START TRANSACTION', ...plan.writes, 'COMMIT']);
      }
      open = false;
      connection.release();
    } catch (err) {
      if (open) await rollBackOrDiscard(connection);
      else connection.release();
      throw err;
    }
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

/** Sends the statements as one multi-statement query; results come back one per statement. */
function run(connection: PoolConnection, statements: readonly (SqlStatement | string)[]): Promise<unknown[]> {
  const text = statements.map((s) => (typeof s === 'string' ? s : s.sql)).join(';\n');
  const params = statements.flatMap((s) => (typeof s === 'string' ? [] : s.params));
  return new Promise((resolve, reject) =>
    connection.query(text, params, (err, result) =>
      err ? reject(err) : resolve(statements.length === 1 ? [result] : (result as unknown[])),
    ),
  );
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
