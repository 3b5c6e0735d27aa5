import { ALPHANUMERIC, NUMERIC, PRINTABLE, TRACK2, type Charset } from './charset';
import {
  alphanumericBad,
  numericBad,
  printableBad,
  WORD_FILL,
  wordTestOf,
  WORDS_ALPHANUMERIC,
  WORDS_NUMERIC,
  WORDS_PRINTABLE,
  WORDS_TABLE,
} from './charset-words';

/** The little-endian word of four bytes, as DataView#getInt32(at, true) reads it. */
const word = (bytes: readonly number[]): number =>
  bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24);

describe.each<[string, (w: number) => number, Charset]>([
  ['numericBad', numericBad, NUMERIC],
  ['alphanumericBad', alphanumericBad, ALPHANUMERIC],
  ['printableBad', printableBad, PRINTABLE],
])('%s', (_name, bad, charset) => {
  const allowed = Array.from({ length: 256 }, (_, b) => b).filter((b) => charset[b] === 1);

  it('agrees with the charset table for every byte in every lane, whatever the other lanes hold', () => {
    // Neighbours at the edges of the allowed ranges, where a carry would show.
    const neighbours = [allowed[0], allowed[allowed.length - 1], ...allowed.filter((_, i) => i % 7 === 3)];
    for (let lane = 0; lane < 4; lane++)
      for (const other of neighbours)
        for (let b = 0; b < 256; b++) {
          const bytes = [other, other, other, other];
          bytes[lane] = b;
          expect(bad(word(bytes)) === 0).toBe(charset[b] === 1);
        }
  });

  it('rejects a word as soon as any lane is outside, even when another lane carries', () => {
    for (let b = 0; b < 256; b++)
      for (const c of [0x00, 0x7f, 0x80, 0xff]) {
        expect(bad(word([b, c, b, c])) === 0).toBe(charset[b] === 1 && charset[c] === 1);
        expect(bad(word([c, b, c, b])) === 0).toBe(charset[b] === 1 && charset[c] === 1);
      }
  });

  it('accepts the fill used past the end of a field', () => {
    expect(bad(WORD_FILL)).toBe(0);
  });
});

describe('wordTestOf', () => {
  it('names the word test of each charset, and none for track 2', () => {
    expect(wordTestOf(NUMERIC)).toBe(WORDS_NUMERIC);
    expect(wordTestOf(ALPHANUMERIC)).toBe(WORDS_ALPHANUMERIC);
    expect(wordTestOf(PRINTABLE)).toBe(WORDS_PRINTABLE);
    expect(wordTestOf(TRACK2)).toBe(WORDS_TABLE);
  });
});
