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

/** The length, or -1 when a nibble is not a decimal digit. Bounds are the caller's. */
export function readBcdLength(source: Buffer, offset: number, digits: number): number {
  const bytes = digits === 3 ? 2 : 1;
  let length = 0;
  for (let i = 0; i < bytes; i++) {
    const b = source[offset + i];
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) return -1;
    length = length * 100 + hi * 10 + lo;
  }
  return length;
}
