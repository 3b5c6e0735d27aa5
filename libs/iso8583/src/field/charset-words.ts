import { ALPHANUMERIC, NUMERIC, PRINTABLE, type Charset } from './charset';

/*
 * Charset checks four bytes at a time (SWAR): a decoder reads a field as 32-bit little-endian words and
 * asks whether any of the four bytes is outside the charset, so the per-byte loop (a load, a table load
 * and a branch per byte) runs a quarter as often. Each test gives 0 when all four bytes are allowed.
 * Adding a constant to a whole word carries from one byte into the next only out of a byte that is
 * already rejected by another term, so a carry can turn a rejection into a rejection, never an
 * acceptance. charset-words.spec.ts checks every byte value in every lane against the tables.
 */

/** Which word test stands for a charset; TABLE when none does, and the decoder checks byte by byte. */
export const WORDS_NUMERIC = 0;
export const WORDS_ALPHANUMERIC = 1;
export const WORDS_PRINTABLE = 2;
export const WORDS_TABLE = 3;

/** Four characters every word test accepts: fills the lanes past a field's end. */
export const WORD_FILL = 0x30303030;

/** Non-zero unless all four bytes are 0x30-0x39: high nibble 3, and low nibble + 6 does not reach 0x40. */
export function numericBad(w: number): number {
  return ((w & 0xf0f0f0f0) ^ 0x30303030) | (((w + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030);
}

/** Non-zero unless all four bytes are 0x20-0x7E: below 0x80, + 0x60 reaches 0x80, + 1 does not. */
export function printableBad(w: number): number {
  return (w | (w + 0x01010101) | ~(w + 0x60606060)) & 0x80808080;
}

/**
 * Non-zero unless all four bytes are digits or letters. For a byte below 0x80, b + (0x80 - lo) sets
 * bit 7 when b >= lo and b + (0x7f - hi) sets it when b > hi; letters are tested with bit 5 cleared
 * (lower case folded to upper).
 */
export function alphanumericBad(w: number): number {
  const folded = w & 0xdfdfdfdf;
  const digit = (w + 0x50505050) & ~(w + 0x46464646);
  const letter = (folded + 0x3f3f3f3f) & ~(folded + 0x25252525);
  return (w & 0x80808080) | (((digit | letter) & 0x80808080) ^ 0x80808080);
}

export function wordTestOf(charset: Charset): number {
  if (charset === NUMERIC) return WORDS_NUMERIC;
  if (charset === ALPHANUMERIC) return WORDS_ALPHANUMERIC;
  if (charset === PRINTABLE) return WORDS_PRINTABLE;
  return WORDS_TABLE;
}
