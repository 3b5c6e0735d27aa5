import type { Prefixer } from './prefixer';

/**
 * Length as BCD, right-aligned in whole bytes: LL = 1 byte (0x19 for 19), LLL = 2 bytes (0x01 0x04
 * for 104), as jPOS BcdPrefixer. It counts digits for BCD data, characters for text, bytes for binary.
 */
const LL: Prefixer = Object.freeze({
  name: 'bcd.LL',
  digits: 2,
  byteLength: 1,
  maxLength: 99,
  encoding: 'bcd',
});
const LLL: Prefixer = Object.freeze({
  name: 'bcd.LLL',
  digits: 3,
  byteLength: 2,
  maxLength: 999,
  encoding: 'bcd',
});
export const BCD = Object.freeze({ LL, LLL });

export function writeBcdLength(target: Buffer, offset: number, length: number, digits: number): number {
  if (digits === 3) {
    const hundreds = (length / 100) | 0;
    const rest = length % 100;
    target[offset] = hundreds;
    target[offset + 1] = (((rest / 10) | 0) << 4) | (rest % 10);
    return offset + 2;
  }
  target[offset] = (((length / 10) | 0) << 4) | (length % 10);
  return offset + 1;
}

/** Per byte: its two nibbles as a number from 0 to 99, or -1 when a nibble is above 9. */
const BYTE_VALUE = Int8Array.from({ length: 256 }, (_, b) =>
  b >> 4 > 9 || (b & 0x0f) > 9 ? -1 : (b >> 4) * 10 + (b & 0x0f),
);

/**
 * The length, or -1 when a nibble is not a decimal digit. Bounds are the caller's. Table-driven and
 * small, so the decoder's inlining budget covers it.
 */
export function readBcdLength(source: Uint8Array, offset: number, digits: number): number {
  const high = BYTE_VALUE[source[offset]];
  if (digits !== 3) return high;
  const low = BYTE_VALUE[source[offset + 1]];
  return (high | low) < 0 ? -1 : high * 100 + low;
}
