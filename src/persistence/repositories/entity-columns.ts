/**
 * A RecordTable's columns read from a TypeORM entity's decorators, so each table is described once (the
 * entity; the migration creates it) and the hot-path SQL follows from that description.
 */
import { getMetadataArgsStorage } from 'typeorm';
import type { ColumnKind, Columns } from '../sql/record-table';

type ColumnType = string | ((...args: unknown[]) => unknown) | undefined;

function kindOf(type: ColumnType, nullable: boolean): ColumnKind {
  const base: 'text' | 'number' | 'date' =
    type === 'bigint' || type === 'int' || type === 'integer'
      ? 'number'
      : type === 'datetime'
        ? 'date'
        : 'text';
  if (!nullable) return base;
  return base === 'text' ? 'optional' : base === 'number' ? 'optional-number' : 'optional-date';
}

/**
 * Every column of `entity` and the classes it extends, named by the record's property (entity and domain
 * record share property names). `kinds` overrides what the column type alone cannot say (a boolean stored
 * as an int is a 'flag'). The repository contract tests prove that every property of a record survives the
 * round trip.
 */
export function entityColumns<T>(
  entity: abstract new () => unknown,
  kinds: Partial<Record<keyof T & string, ColumnKind>> = {},
): Columns<T> {
  const targets: unknown[] = [];
  for (
    let c: unknown = entity;
    typeof c === 'function' && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  )
    targets.push(c);
  const columns: Record<string, readonly [string, ColumnKind]> = {};
  for (const column of getMetadataArgsStorage().columns.filter((c) => targets.includes(c.target))) {
    const property = column.propertyName as keyof T & string;
    const kind =
      kinds[property] ?? kindOf(column.options.type as ColumnType, column.options.nullable === true);
    columns[property] = [column.options.name ?? property, kind];
  }
  return columns as unknown as Columns<T>;
}
