import type { SqlStatement, SqlValue } from './sql-session';

/**
 * `INSERT INTO table (columns) VALUES (...), (...)`, and its guarded twin
 * `INSERT INTO table (columns) SELECT ... FROM DUAL WHERE @write_guard = 1 UNION ALL ...`, which inserts
 * the same rows only when the versioned UPDATE before it in the transaction matched (MysqlSession sets
 * `@write_guard` from its ROW_COUNT()). Made once per table; the texts for each row count are kept, so a
 * payment's steps do not build the same SQL again.
 */
export class InsertRows {
  private readonly into: string;
  private readonly marks: string;
  private readonly texts = new Map<number, { sql: string; guardedSql: string }>();

  constructor(
    private readonly table: string,
    columns: readonly string[],
  ) {
    this.into = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')})`;
    this.marks = columns.map(() => '?').join(', ');
  }

  of(rows: readonly (readonly SqlValue[])[]): SqlStatement {
    const params: SqlValue[] = [];
    for (const row of rows) for (const value of row) params.push(value);
    return { ...this.textsFor(rows.length), params, table: this.table };
  }

  private textsFor(count: number): { sql: string; guardedSql: string } {
    let texts = this.texts.get(count);
    if (texts === undefined) {
      const row = `(${this.marks})`;
      const guardedRow = `SELECT ${this.marks} FROM DUAL WHERE @write_guard = 1`;
      texts = {
        sql: `${this.into} VALUES ${Array.from({ length: count }, () => row).join(', ')}`,
        guardedSql: `${this.into} ${Array.from({ length: count }, () => guardedRow).join(' UNION ALL ')}`,
      };
      // Steps write one to a few rows; larger counts (rare) are not kept.
      if (count <= 8) this.texts.set(count, texts);
    }
    return texts;
  }
}
