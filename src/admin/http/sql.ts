/**
 * The admin module's own tables are written with portable SQL (`?` placeholders, UTC text timestamps),
 * the same text MySQL and the embedded SQLite both read, as src/persistence/sql does.
 */
import type { EntityManager } from 'typeorm';
import { dateFrom, utcText, type ColumnValue } from '../../persistence/sql/sql-values';

export { utcText };

export type Row = Record<string, ColumnValue>;

export async function rows(manager: EntityManager, sql: string, params: unknown[] = []): Promise<Row[]> {
  return manager.query<Row[]>(sql, params);
}

export function text(value: ColumnValue): string {
  return value === null || value === undefined ? '' : String(value);
}

export function optionalText(value: ColumnValue): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

export function isoTime(value: ColumnValue): string | undefined {
  return value === null || value === undefined ? undefined : dateFrom(value).toISOString();
}

export function count(value: ColumnValue): number {
  return value === null || value === undefined ? 0 : Number(value);
}
