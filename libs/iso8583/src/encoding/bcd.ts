import type { Encoding } from './encoding';
import { latin1Slice } from './latin1';

/** Two digits per byte, high nibble first (jPOS IFB_*, moov encoding.BCD). */
export const BCD: Encoding = Object.freeze({
  name: 'bcd' as const,
  encodedLength: (units: number): number => (units + 1) >> 1,
});

/** Track 2 field separator: '=' in text, nibble 0xD on the wire (as jPOS str2bcd maps it). */
const SEPARATOR_NIBBLE = 0xd;
const EQUALS = 0x3d;
const LETTER_D = 0x44;

function nibbleOf(c: number, track2: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (track2 && (c === EQUALS || c === LETTER_D)) return SEPARATOR_NIBBLE;
  return -1;
}

/**
 * Writes the digits of `value` as BCD and returns the offset after them, or -1 on a character that is
 * not a digit (or, for track 2, a separator). With an odd count the filler nibble 0 goes first when
 * `padLeft` (value right-aligned), last otherwise.
 */
export function writeBcd(
  target: Buffer,
  offset: number,
  value: string,
  padLeft: boolean,
  track2: boolean,
): number {
  const n = value.length;
  const odd = n & 1;
  let i = 0;
  let o = offset;
  if (odd === 1 && padLeft) {
    const lo = nibbleOf(value.charCodeAt(0), track2);
    if (lo < 0) return -1;
    target[o++] = lo;
    i = 1;
  }
  const pairsEnd = odd === 1 && !padLeft ? n - 1 : n;
  for (; i < pairsEnd; i += 2) {
    const hi = nibbleOf(value.charCodeAt(i), track2);
    const lo = nibbleOf(value.charCodeAt(i + 1), track2);
    if (hi < 0 || lo < 0) return -1;
    target[o++] = (hi << 4) | lo;
  }
  if (odd === 1 && !padLeft) {
    const hi = nibbleOf(value.charCodeAt(n - 1), track2);
    if (hi < 0) return -1;
    target[o++] = hi << 4;
  }
  return o;
}

/** A filler nibble: jPOS writes 0; some terminals write F. Both are accepted; the encoder writes 0. */
const isFiller = (nibble: number): boolean => nibble === 0 || nibble === 0x0f;

/** Character code per nibble, 0 when the nibble is not allowed. */
const NUMERIC_CODES = Uint8Array.from({ length: 16 }, (_, d) => (d <= 9 ? 0x30 + d : 0));
const TRACK2_CODES = Uint8Array.from(NUMERIC_CODES, (c, d) => (d === SEPARATOR_NIBBLE ? EQUALS : c));
/*
 * Per byte value, so spelling is one table load per byte: both character codes (the high nibble's in
 * the upper 8 bits), or the one digit of a byte whose other nibble is the filler; 0 when not allowed.
 */
const pairCodes = (codes: Uint8Array): Uint16Array =>
  Uint16Array.from({ length: 256 }, (_, b) => {
    const hi = codes[b >> 4];
    const lo = codes[b & 0x0f];
    return hi === 0 || lo === 0 ? 0 : (hi << 8) | lo;
  });
const fillerFirst = (codes: Uint8Array): Uint8Array =>
  Uint8Array.from({ length: 256 }, (_, b) => (isFiller(b >> 4) ? codes[b & 0x0f] : 0));
const fillerLast = (codes: Uint8Array): Uint8Array =>
  Uint8Array.from({ length: 256 }, (_, b) => (isFiller(b & 0x0f) ? codes[b >> 4] : 0));
const NUMERIC_PAIRS = pairCodes(NUMERIC_CODES);
const TRACK2_PAIRS = pairCodes(TRACK2_CODES);
const NUMERIC_FILLER_FIRST = fillerFirst(NUMERIC_CODES);
const TRACK2_FILLER_FIRST = fillerFirst(TRACK2_CODES);
const NUMERIC_FILLER_LAST = fillerLast(NUMERIC_CODES);
const TRACK2_FILLER_LAST = fillerLast(TRACK2_CODES);
/** For a decoder spelling a 4-digit MTI inline: two digits per byte, 0 when not both digits. */
export { NUMERIC_PAIRS as BCD_DIGIT_PAIRS };

/**
 * Spells `digits` BCD digits starting at byte `start` into `target` at `at` as ASCII, so a decoder can
 * turn all of a message's BCD fields into text with one native call. False on a nibble that is not a
 * digit (0xD allowed for track 2, spelled '=') or a filler nibble other than 0 or F. Bounds are the
 * caller's. Kept small: the decoder has V8 inline it.
 */
export function spellBcd(
  source: Uint8Array,
  start: number,
  digits: number,
  padLeft: boolean,
  track2: boolean,
  target: Uint8Array,
  at: number,
): boolean {
  let i = start;
  let end = start + ((digits + 1) >> 1);
  let k = at;
  if ((digits & 1) !== 0) {
    // The byte holding the filler: first when the value is right-aligned, last otherwise.
    const code = padLeft
      ? (track2 ? TRACK2_FILLER_FIRST : NUMERIC_FILLER_FIRST)[source[i++]]
      : (track2 ? TRACK2_FILLER_LAST : NUMERIC_FILLER_LAST)[source[--end]];
    if (code === 0) return false;
    target[padLeft ? k++ : at + digits - 1] = code;
  }
  // One loop per table, so each reads a constant table: measurably faster in the decoder.
  if (!track2) {
    for (; i < end; i++, k += 2) {
      const pair = NUMERIC_PAIRS[source[i]];
      if (pair === 0) return false;
      target[k] = pair >> 8;
      target[k + 1] = pair & 0xff;
    }
    return true;
  }
  for (; i < end; i++, k += 2) {
    const pair = TRACK2_PAIRS[source[i]];
    if (pair === 0) return false;
    target[k] = pair >> 8;
    target[k + 1] = pair & 0xff;
  }
  return true;
}

const spelled = Buffer.allocUnsafe(1000);

/** The digits as text, or undefined as for spellBcd. For use outside the codec's hot path. */
export function readBcd(
  source: Buffer,
  start: number,
  digits: number,
  padLeft: boolean,
  track2: boolean,
): string | undefined {
  return spellBcd(source, start, digits, padLeft, track2, spelled, 0)
    ? latin1Slice(spelled, 0, digits)
    : undefined;
}
