import type { Prefixer } from './prefixer';

/** Length as ASCII digits, e.g. LLL 12 -> "012" (iso_8583 `llvar`/`lllvar`, jPOS AsciiPrefixer). */
const LL: Prefixer = Object.freeze({
  name: 'ascii.LL',
  digits: 2,
  byteLength: 2,
  maxLength: 99,
  encoding: 'ascii',
});
const LLL: Prefixer = Object.freeze({
  name: 'ascii.LLL',
  digits: 3,
  byteLength: 3,
  maxLength: 999,
  encoding: 'ascii',
});
export const ASCII = Object.freeze({ LL, LLL });

export function writeAsciiLength(target: Buffer, offset: number, length: number, digits: number): number {
  if (digits === 3) {
    target[offset] = 0x30 + ((length / 100) | 0);
    target[offset + 1] = 0x30 + (((length / 10) | 0) % 10);
    target[offset + 2] = 0x30 + (length % 10);
    return offset + 3;
  }
  target[offset] = 0x30 + ((length / 10) | 0);
  target[offset + 1] = 0x30 + (length % 10);
  return offset + 2;
}

/** Per byte: the digit it spells, or -1. */
const DIGIT_VALUE = Int8Array.from({ length: 256 }, (_, c) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : -1));

/**
 * The length, or -1 when a prefix byte is not a digit. Bounds are the caller's. Table-driven and
 * small, so the decoder's inlining budget covers it.
 */
export function readAsciiLength(source: Uint8Array, offset: number, digits: number): number {
  const a = DIGIT_VALUE[source[offset]];
  const b = DIGIT_VALUE[source[offset + 1]];
  if (digits !== 3) return (a | b) < 0 ? -1 : a * 10 + b;
  const c = DIGIT_VALUE[source[offset + 2]];
  return (a | b | c) < 0 ? -1 : a * 100 + b * 10 + c;
}
