import type { FieldSpec } from '../field/field-spec';
import { ISO87_FIELDS, type Iso87Field } from './iso87.fields';

/** A dialect's departures from the ISO 8583:1987 table: changed attributes, or null for "not supported". */
export type Deviations = Readonly<Partial<Record<number, Partial<Iso87Field> | null>>>;

/** Turns the ISO table, with a dialect's deviations, into field specs by the dialect's byte rules. */
export function layoutFields(
  deviations: Deviations,
  toSpec: (field: number, element: Iso87Field) => FieldSpec,
): Record<number, FieldSpec> {
  const fields: Record<number, FieldSpec> = {};
  for (const key of Object.keys(ISO87_FIELDS)) {
    const field = Number(key);
    const deviation = deviations[field];
    if (deviation === null) continue;
    fields[field] = toSpec(field, { ...ISO87_FIELDS[field], ...deviation });
  }
  return fields;
}
