import { ValueTransformer } from 'typeorm';
import { dateFrom } from './sql/sql-values';

/** MySQL returns BIGINT as a string; amounts stay integers well inside 2^53 (n12 minor units). */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** Stored as UTC; sql.js hands back strings, MySQL (timezone Z) Date objects. */
export const utcDate: ValueTransformer = {
  to: (value: Date | null | undefined) => value,
  from: (value: string | Date | null) => (value === null ? null : dateFrom(value)),
};
