/**
 * A table described once, column by column, from which its INSERT, versioned UPDATE, SELECT list and row
 * mapping all follow: adding a column is one line, and the four can't drift apart.
 */
import { InsertRows } from './insert-rows';
import type { SqlStatement, SqlValue } from './sql-session';
import { dateFrom, numberFrom, utcText, type ColumnValue } from './sql-values';

/**
 * text: string; number: integer (BIGINT included); date: UTC; flag: boolean as 0/1. The optional kinds
 * are absent from the record when the column is NULL.
 */
export type ColumnKind =
  'text' | 'number' | 'date' | 'flag' | 'optional' | 'optional-number' | 'optional-date';

export type Columns<T> = { readonly [P in keyof T & string]-?: readonly [column: string, kind: ColumnKind] };

/** A row as the driver returns it, keyed by column name. */
export type Row = Record<string, ColumnValue>;

export class RecordTable<T extends { id: string }> {
  private readonly entries: readonly (readonly [property: string, column: string, kind: ColumnKind])[];
  private readonly inserts: InsertRows;
  private readonly updateSql: string;
  private readonly selectSql: string;

  constructor(
    readonly table: string,
    columns: Columns<T>,
  ) {
    this.entries = Object.entries(columns as Record<string, readonly [string, ColumnKind]>).map(
      ([property, [column, kind]]) => [property, column, kind] as const,
    );
    this.inserts = new InsertRows(
      table,
      this.entries.map(([, column]) => column),
    );
    const names = this.entries.map(([, column]) => `\`${column}\``);
    const assignments = this.entries.filter(([p]) => p !== 'id').map(([, column]) => `\`${column}\` = ?`);
    this.updateSql = `UPDATE \`${table}\` SET ${assignments.join(', ')} WHERE \`id\` = ? AND \`version\` = ?`;
    this.selectSql = `SELECT ${names.join(', ')} FROM \`${table}\``;
  }

  /** Property, column and kind of every column, in order. */
  columns(): readonly (readonly [property: string, column: string, kind: ColumnKind])[] {
    return this.entries;
  }

  insert(record: T): SqlStatement {
    return this.inserts.of([this.entries.map(([p, , kind]) => toValue(record, p, kind))]);
  }

  /**
   * Matches only the row still at `expectedVersion`: a stale writer changes nothing. Given `before`, the
   * record as written at `expectedVersion`, only the columns that differ from it are set: the version
   * names one content of the row, so the guard also proves the other columns already hold those values.
   */
  updateAtVersion(
    record: T & { version: number },
    expectedVersion: number,
    before?: T & { version: number },
  ): SqlStatement {
    const diffFrom = before?.version === expectedVersion ? before : undefined;
    const assignments: string[] = [];
    const params: SqlValue[] = [];
    for (const [property, column, kind] of this.entries) {
      if (property === 'id') continue;
      const value = toValue(record, property, kind);
      if (diffFrom !== undefined && value === toValue(diffFrom, property, kind)) continue;
      assignments.push(`\`${column}\` = ?`);
      params.push(value);
    }
    params.push(record.id, expectedVersion);
    const sql =
      diffFrom === undefined
        ? this.updateSql
        : `UPDATE \`${this.table}\` SET ${assignments.join(', ')} WHERE \`id\` = ? AND \`version\` = ?`;
    return { sql, params };
  }

  /** `SELECT <every column> FROM <table> <rest>`, e.g. rest = 'WHERE `id` = ?'. */
  select(rest: string, ...params: SqlValue[]): SqlStatement {
    return { sql: `${this.selectSql} ${rest}`, params };
  }

  fromRow(row: Row): T {
    const record: Record<string, unknown> = {};
    for (const [property, column, kind] of this.entries) {
      const value = row[column];
      if (value !== null && value !== undefined) record[property] = fromValue(value, kind);
      else if (!kind.startsWith('optional')) throw new Error(`${this.table}.${column} is NULL`);
    }
    return record as T;
  }
}

function toValue<T>(record: T, property: string, kind: ColumnKind): SqlValue {
  const value = (record as Record<string, unknown>)[property];
  switch (kind) {
    case 'date':
      return utcText(value as Date);
    case 'optional-date':
      return value === undefined ? null : utcText(value as Date);
    case 'flag':
      return value ? 1 : 0;
    case 'optional':
    case 'optional-number':
      return value === undefined ? null : (value as string | number);
    case 'number':
    case 'text':
      return value as string | number;
  }
}

function fromValue(value: string | number | Date, kind: ColumnKind): unknown {
  switch (kind) {
    case 'date':
    case 'optional-date':
      return dateFrom(value);
    case 'flag':
      return Number(value) === 1;
    case 'number':
    case 'optional-number':
      return numberFrom(value);
    case 'text':
    case 'optional':
      return String(value);
  }
}
