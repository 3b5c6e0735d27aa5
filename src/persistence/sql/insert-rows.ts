import type { SqlStatement, SqlValue } from './sql-session';

/**
 * `INSERT INTO table (columns) VALUES (...), (...)`, and its guarded twin
 * `INSERT INTO table (columns) SELECT ... FROM DUAL WHERE @write_guard = 1 UNION ALL ...`, which inserts
 * the same rows only when the versioned UPDATE before it in the transaction matched (MysqlSession sets
 * `@write_guard` from its ROW_COUNT()).
 */
export function insertRows(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): SqlStatement {
  const into = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')})`;
  const marks = columns.map(() => '?').join(', ');
  return {
    sql: `${into} VALUES ${rows.map(() => `(${marks})`).join(', ')}`,
    params: rows.flat(),
    guardedSql: `${into} ${rows.map(() => `SELECT ${marks} FROM DUAL WHERE @write_guard = 1`).join(' UNION ALL ')}`,
    table,
  };
}
