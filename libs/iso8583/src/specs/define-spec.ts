import { ASCII as ASCII_ENCODING } from '../encoding/ascii';
import { BCD as BCD_ENCODING } from '../encoding/bcd';
import { Binary } from '../encoding/binary';
import type { Encoding } from '../encoding/encoding';
import { SpecError } from '../errors';
import { FIELD_TYPES, type FieldSpec } from '../field/field-spec';
import { ASCII as ASCII_PREFIX } from '../prefix/ascii';
import { BCD as BCD_PREFIX } from '../prefix/bcd';
import { Fixed } from '../prefix/fixed';
import type { Prefixer } from '../prefix/prefixer';

/** A dialect's message layout: how the MTI is written and each field's spec. Frozen and validated. */
export interface MessageSpec {
  readonly name: string;
  /** ASCII: 4 bytes; BCD: 2 bytes. The bitmap is always binary (8 or 16 bytes). */
  readonly mti: Encoding;
  readonly fields: Readonly<Partial<Record<number, FieldSpec>>>;
}

export interface SpecDefinition {
  readonly name: string;
  readonly mti: Encoding;
  readonly fields: Readonly<Partial<Record<number, FieldSpec>>>;
}

const ENCODINGS: Readonly<Record<string, Encoding>> = {
  ascii: ASCII_ENCODING,
  bcd: BCD_ENCODING,
  binary: Binary,
};
const PREFIXERS: Readonly<Record<string, Prefixer>> = {
  fixed: Fixed,
  'ascii.LL': ASCII_PREFIX.LL,
  'ascii.LLL': ASCII_PREFIX.LLL,
  'bcd.LL': BCD_PREFIX.LL,
  'bcd.LLL': BCD_PREFIX.LLL,
};

/** Field 1 is the secondary bitmap and 65 the tertiary one: bitmap flags, never data. */
export function isDataFieldNumber(field: number): boolean {
  return Number.isInteger(field) && field >= 2 && field <= 128 && field !== 65;
}

/**
 * Checks every field once, when the spec is loaded, so the codec never meets a layout it cannot
 * write; returns a deep-frozen copy whose encodings and prefixers are the shared values.
 */
export function defineSpec(definition: SpecDefinition): MessageSpec {
  if (typeof definition.name !== 'string' || definition.name === '') throw new SpecError('spec needs a name');
  const mti = ENCODINGS[definition.mti?.name];
  if (mti === undefined || mti === Binary)
    throw new SpecError(`spec ${definition.name}: MTI encoding must be ascii or bcd`);
  const fields: Record<number, FieldSpec> = {};
  for (const key of Object.keys(definition.fields)) {
    const field = Number(key);
    const spec = definition.fields[field];
    if (spec === undefined) continue;
    if (!isDataFieldNumber(field))
      throw new SpecError(`spec ${definition.name}: ${key} is not a data field number (2-128, not 65)`);
    fields[field] = checkField(definition.name, field, spec);
  }
  if (Object.keys(fields).length === 0) throw new SpecError(`spec ${definition.name} defines no field`);
  return Object.freeze({ name: definition.name, mti, fields: Object.freeze(fields) });
}

/** Per-terminal overrides: the base spec with some fields replaced or added, validated again. */
export function mergeSpec(
  base: MessageSpec,
  overrides: Readonly<Partial<Record<number, FieldSpec>>>,
  name = base.name,
): MessageSpec {
  return defineSpec({ name, mti: base.mti, fields: { ...base.fields, ...overrides } });
}

function checkField(specName: string, field: number, spec: FieldSpec): FieldSpec {
  const where = `spec ${specName} field ${field}`;
  if (typeof spec.description !== 'string') throw new SpecError(`${where}: description must be a string`);
  if (!FIELD_TYPES.includes(spec.type)) throw new SpecError(`${where}: unknown type`);
  const encoding = ENCODINGS[spec.encoding?.name];
  if (encoding === undefined) throw new SpecError(`${where}: unknown encoding`);
  const prefixer = PREFIXERS[spec.prefix?.name];
  if (prefixer === undefined) throw new SpecError(`${where}: unknown prefixer`);
  if (!Number.isInteger(spec.length) || spec.length < 1 || spec.length > prefixer.maxLength) {
    throw new SpecError(`${where}: length must be an integer from 1 to ${prefixer.maxLength}`);
  }
  if ((spec.type === 'b') !== (encoding === Binary))
    throw new SpecError(`${where}: binary encoding goes with type b only`);
  if (encoding === BCD_ENCODING && spec.type !== 'n' && spec.type !== 'z')
    throw new SpecError(`${where}: BCD encodes n or z only`);
  if (spec.padding !== undefined) {
    if (encoding !== BCD_ENCODING) throw new SpecError(`${where}: padding applies to BCD only`);
    if (spec.padding !== 'left' && spec.padding !== 'right')
      throw new SpecError(`${where}: padding is 'left' or 'right'`);
  }
  const checked: FieldSpec = {
    description: spec.description,
    type: spec.type,
    length: spec.length,
    prefix: prefixer,
    encoding,
    ...(encoding === BCD_ENCODING ? { padding: spec.padding ?? 'left' } : {}),
  };
  return Object.freeze(checked);
}

/** Plain data for docs and tools: encodings and prefixers by name. */
export interface FieldSpecJson {
  readonly description: string;
  readonly type: FieldSpec['type'];
  readonly length: number;
  readonly prefix: Prefixer['name'];
  readonly encoding: Encoding['name'];
  readonly padding?: FieldSpec['padding'];
}

export function specToJson(spec: MessageSpec): {
  name: string;
  mti: Encoding['name'];
  fields: Record<string, FieldSpecJson>;
} {
  const fields: Record<string, FieldSpecJson> = {};
  for (const [key, f] of Object.entries(spec.fields)) {
    if (f === undefined) continue;
    fields[key] = {
      description: f.description,
      type: f.type,
      length: f.length,
      prefix: f.prefix.name,
      encoding: f.encoding.name,
      ...(f.padding !== undefined ? { padding: f.padding } : {}),
    };
  }
  return { name: spec.name, mti: spec.mti.name, fields };
}

/** A readable table of the spec, one field per line, for `describe`-style tooling and docs. */
export function formatSpec(spec: MessageSpec): string {
  const lines = [`spec ${spec.name}: MTI ${spec.mti.name}, bitmap binary`];
  for (const [key, f] of Object.entries(spec.fields)) {
    if (f === undefined) continue;
    const size = f.prefix.digits === 0 ? `${f.type} ${f.length}` : `${f.type} ..${f.length}`;
    const bcd = f.padding !== undefined ? ` pad-${f.padding}` : '';
    lines.push(
      `${key.padStart(3)}  ${size.padEnd(8)} ${f.prefix.name.padEnd(9)} ${(f.encoding.name + bcd).padEnd(15)} ${f.description}`,
    );
  }
  return lines.join('\n');
}
