import { QueryRunner, TableColumnOptions } from 'typeorm';

// Portable column shapes: the same migration runs on MySQL and on the embedded SQLite (sql.js).
export const varchar = (
  name: string,
  length: number,
  extra: Partial<TableColumnOptions> = {},
): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
export const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
export const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'int',
  ...extra,
});
export const bigint = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'bigint',
  ...extra,
});
export const timestamp = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
export const version = (): TableColumnOptions => ({ name: 'version', type: 'int', default: 1 });

// SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
export const generatedId = (queryRunner: QueryRunner): TableColumnOptions => ({
  name: 'id',
  type: queryRunner.connection.options.type === 'mysql' ? 'bigint' : 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
