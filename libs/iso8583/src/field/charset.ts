import type { FieldType } from './field-spec';

/**
 * One 256-entry table per text type: table[byte] is 1 when the byte is allowed. Lookups instead of
 * regular expressions keep validation in the codec's single pass over the value.
 */
export type Charset = Uint8Array;

function table(allow: (code: number) => boolean): Charset {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = allow(c) ? 1 : 0;
  return t;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

export const NUMERIC: Charset = table(isDigit);
export const ALPHANUMERIC: Charset = table((c) => isDigit(c) || isLetter(c));
export const PRINTABLE: Charset = table((c) => c >= 0x20 && c <= 0x7e);
/** Track 2: digits and the separator, written '=' (ISO 7813) or 'D' (its BCD nibble). */
export const TRACK2: Charset = table((c) => isDigit(c) || c === 0x3d || c === 0x44);

export function charsetOf(type: Exclude<FieldType, 'b'>): Charset {
  switch (type) {
    case 'n':
      return NUMERIC;
    case 'an':
      return ALPHANUMERIC;
    case 'ans':
      return PRINTABLE;
    case 'z':
      return TRACK2;
  }
}
