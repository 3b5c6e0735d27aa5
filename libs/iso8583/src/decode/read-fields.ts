import { type CompiledSpec, DATA_BCD, DATA_BINARY, PREFIX_ASCII } from '../compiled-spec';
import { spellBcd } from '../encoding/bcd';
import { readBinary } from '../encoding/binary';
import type { Charset } from '../field/charset';
import {
  alphanumericBad,
  numericBad,
  printableBad,
  WORD_FILL,
  WORDS_ALPHANUMERIC,
  WORDS_NUMERIC,
  WORDS_TABLE,
} from '../field/charset-words';
import type { FieldSlots } from '../message';
import { readAsciiLength } from '../prefix/ascii';
import { readBcdLength } from '../prefix/bcd';
import { decodeError } from './decode-error';
import {
  frame as scratchFrame,
  frameWords,
  progress as scratchProgress,
  textEnds as scratchEnds,
  textFields as scratchFields,
  textStarts as scratchStarts,
} from './scratch';

/*
 * swc compiles every use of an imported binding to a getter call on the other module's exports,
 * which V8 does not always inline: the per-field loop uses these copies, taken once.
 */
const frame = scratchFrame;
const words = frameWords;
const progress = scratchProgress;
const textFields = scratchFields;
const textStarts = scratchStarts;
const textEnds = scratchEnds;
const spell = spellBcd;
const copyBinary = readBinary;
const asciiLength = readAsciiLength;
const bcdLength = readBcdLength;
const numeric = numericBad;
const alphanumeric = alphanumericBad;
const printable = printableBad;
const FILL = WORD_FILL;
const TEST_NUMERIC = WORDS_NUMERIC;
const TEST_ALPHANUMERIC = WORDS_ALPHANUMERIC;
const TEST_TABLE = WORDS_TABLE;
const BCD = DATA_BCD;
const BINARY = DATA_BINARY;
const ASCII_PREFIX = PREFIX_ASCII;
const MAC_FIELD = 64;

/**
 * Reads, from `from` in the scratch frame, the fields the bitmap words announce: binary values go
 * straight into `slots`; text is checked, or spelled from BCD after the digits already spelled, and
 * its place recorded. Returns the offset after the last field and leaves `progress` up to date.
 * A function apart from the frame's so that V8 inlines the per-field helpers here rather than
 * exhausting the frame function's inlining budget.
 */
export function readFields(
  fields: CompiledSpec['fields'],
  slots: FieldSlots,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  from: number,
  end: number,
): number {
  let pos = from;
  let out = progress.spelled;
  let texts = progress.texts;
  let macAt = -1;
  for (let word = 0; word < 4; word++) {
    let bits = word === 0 ? w0 : word === 1 ? w1 : word === 2 ? w2 : w3;
    while (bits !== 0) {
      const z = Math.clz32(bits);
      bits ^= 0x80000000 >>> z;
      const f = (word << 5) + z + 1;
      const cf = fields[f];
      if (cf === undefined)
        throw decodeError('UNKNOWN_FIELD', 'bitmap announces a field the dialect does not define', f, pos);
      if (f === MAC_FIELD) macAt = pos;

      let n = cf.length;
      const prefixBytes = cf.prefixBytes;
      if (prefixBytes !== 0) {
        if (pos + prefixBytes > end)
          throw decodeError('TRUNCATED', 'frame ends inside the length prefix', f, pos);
        n =
          cf.prefix === ASCII_PREFIX
            ? asciiLength(frame, pos, cf.prefixDigits)
            : bcdLength(frame, pos, cf.prefixDigits);
        if (n < 0) throw decodeError('BAD_LENGTH', 'length prefix is not decimal', f, pos);
        if (n > cf.length)
          throw decodeError('BAD_LENGTH', `length ${n} exceeds the maximum of ${cf.length}`, f, pos);
        pos += prefixBytes;
      }
      const data = cf.data;
      const bytes = data === BCD ? (n + 1) >> 1 : n;
      if (pos + bytes > end)
        throw decodeError('TRUNCATED', `frame ends inside the field's ${bytes} bytes`, f, pos);

      if (data === BINARY) {
        slots[f] = copyBinary(frame, pos, pos + bytes);
        pos += bytes;
        continue;
      }
      let start: number;
      if (data === BCD) {
        if (!spell(frame, pos, n, cf.padLeft, cf.track2, frame, out))
          throw decodeError('BAD_VALUE', `bytes not allowed in a ${cf.type} field`, f, pos);
        start = out;
        out += n;
      } else {
        // Four bytes per read; the lanes of the last word past the field hold characters every test
        // accepts. Written out here rather than called: V8's inlining budget is better spent on
        // the word tests and the BCD speller.
        const test = cf.words;
        let bad = 0;
        if (test === TEST_TABLE) bad = badBytes(cf.charset, pos, pos + bytes);
        else
          for (let i = pos, to = pos + bytes; i < to; i += 4) {
            let w = words.getInt32(i, true);
            if (to - i < 4) {
              const keep = (1 << ((to - i) << 3)) - 1;
              w = (w & keep) | (FILL & ~keep);
            }
            bad |=
              test === TEST_NUMERIC
                ? numeric(w)
                : test === TEST_ALPHANUMERIC
                  ? alphanumeric(w)
                  : printable(w);
          }
        if (bad !== 0) throw decodeError('BAD_VALUE', `bytes not allowed in a ${cf.type} field`, f, pos);
        start = pos;
      }
      textFields[texts] = f;
      textStarts[texts] = start;
      textEnds[texts] = start + n;
      progress.texts = ++texts;
      pos += bytes;
    }
  }
  progress.spelled = out;
  progress.macAt = macAt;
  return pos;
}

/** Non-zero when a byte of [from, to) is outside a charset that has no word test (track 2 as text). */
function badBytes(charset: Charset, from: number, to: number): number {
  let bad = 0;
  for (let i = from; i < to; i++) bad |= charset[frame[i]] ^ 1;
  return bad;
}
