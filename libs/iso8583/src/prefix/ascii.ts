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

/** The length, or -1 when a prefix byte is not a digit. Bounds are the caller's. */
export function readAsciiLength(source: Buffer, offset: number, digits: number): number {
  let length = 0;
  for (let i = 0; i < digits; i++) {
    const d = source[offset + i] - 0x30;
    if (d < 0 || d > 9) return -1;
    length = length * 10 + d;
  }
  return length;
}
