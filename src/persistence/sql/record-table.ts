/**
 * A table described once, column by column, from which its INSERT, versioned UPDATE, SELECT list and row
 * mapping all follow: adding a column is one line, and the four can't drift apart.
 */
import type { SqlStatement, SqlValue } from './sql-session';
import { dateFrom, numberFrom, utcText, type ColumnValue } from './sql-values';

/** text: string; optional: string or absent (NULL); number: integer (BIGINT included); date: UTC; flag: 0/1. */
export type ColumnKind = 'text' | 'optional' | 'number' | 'date' | 'flag';

export type Columns<T> = { readonly [P in keyof T & string]-?: readonly [column: string, kind: ColumnKind] };

/** A row as the driver returns it, keyed by column name. */
export type Row = Record<string, ColumnValue>;

export class RecordTable<T extends { id: string; version: number }> {
  private readonly entries: readonly (readonly [property: string, column: string, kind: ColumnKind])[];
  private readonly insertSql: string;
  private readonly updateSql: string;
  private readonly selectSql: string;

  constructor(
    readonly table: string,
    columns: Columns<T>,
  ) {
    this.entries = Object.entries(columns as Record<string, readonly [string, ColumnKind]>).map(
      ([property, [column, kind]]) => [property, column, kind] as const,
    );
    const names = this.entries.map(([, column]) => `\`${column}\``);
    this.insertSql = `INSERT INTO \`${table}\` (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    const assignments = this.entries.filter(([p]) => p !== 'id').map(([, column]) => `\`${column}\` = ?`);
    this.updateSql = `UPDATE \`${table}\` SET ${assignments.join(', ')} WHERE \`id\` = ? AND \`version\` = ?`;
    this.selectSql = `SELECT ${names.join(', ')} FROM \`${table}\``;
  }

  insert(record: T): SqlStatement {
    return { sql: this.insertSql, params: this.entries.map(([p, , kind]) => toValue(record, p, kind)) };
  }

  /** Matches only the row still at `expectedVersion`: a stale writer changes nothing. */
  updateAtVersion(record: T, expectedVersion: number): SqlStatement {
    const params = this.entries.filter(([p]) => p !== 'id').map(([p, , kind]) => toValue(record, p, kind));
    params.push(record.id, expectedVersion);
    return { sql: this.updateSql, params };
  }

  /** `SELECT <every column> FROM <table> <rest>`, e.g. rest = 'WHERE `id` = ?'. */
  select(rest: string, ...params: SqlValue[]): SqlStatement {
    return { sql: `${this.selectSql} ${rest}`, params };
  }

  fromRow(row: Row): T {
    const record: Record<string, unknown> = {};
    for (const [property, column, kind] of this.entries) {
      const value = row[column];
      if (kind === 'optional') {
        if (value !== null && value !== undefined) record[property] = String(value);
      } else record[property] = fromValue(value, kind);
    }
    return record as T;
  }
}

function toValue<T>(record: T, property: string, kind: ColumnKind): SqlValue {
  const value = (record as Record<string, unknown>)[property];
  switch (kind) {
    case 'date':
      return utcText(value as Date);
    case 'flag':
      return value ? 1 : 0;
    case 'optional':
      return value === undefined ? null : (value as string);
    case 'number':
    case 'text':
      return value as string | number;
  }
}

function fromValue(value: ColumnValue, kind: Exclude<ColumnKind, 'optional'>): unknown {
  switch (kind) {
    case 'date':
      return dateFrom(value);
    case 'flag':
      return Number(value) === 1;
    case 'number':
      return numberFrom(value);
    case 'text':
      return String(value);
  }
}
