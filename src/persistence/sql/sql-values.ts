/**
 * Values as they cross into and out of the database. Timestamps are bound as UTC text with milliseconds
 * ('2026-11-22 04:34:16.123'), the form DATETIME(3) accepts on MySQL and that TypeORM's sqlite driver
 * writes, so rows written by either path read back the same.
 */
import type { SqlValue } from './sql-session';

/** A column value as a driver returns it. */
export type ColumnValue = string | number | Date | null | undefined;

export function utcText(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** MySQL (timezone Z) returns Date objects, SQLite the text written by utcText. */
export function dateFrom(value: ColumnValue): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.endsWith('Z') || text.includes('+') ? text : `${text.replace(' ', 'T')}Z`);
}

/** mysql2 returns BIGINT as text (bigNumberStrings); amounts stay well inside 2^53. */
export function numberFrom(value: ColumnValue): number {
  return typeof value === 'number' ? value : Number(value);
}

export function nullable(value: string | number | undefined): SqlValue {
  return value === undefined ? null : value;
}
