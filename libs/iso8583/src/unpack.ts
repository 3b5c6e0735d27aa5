import { Buffer } from 'node:buffer';
import { type CompiledSpec, DATA_BINARY } from './compiled-spec';
import { decodeError } from './decode/decode-error';
import { readFields } from './decode/read-fields';
import {
  frame as scratchFrame,
  frameWords,
  progress as scratchProgress,
  textEnds as scratchEnds,
  textFields as scratchFields,
  textStarts as scratchStarts,
} from './decode/scratch';
import { BCD_DIGIT_PAIRS } from './encoding/bcd';
import { readBinary } from './encoding/binary';
import { latin1Slice } from './encoding/latin1';
import { FrameTooLargeError } from './errors';
import { numericBad } from './field/charset-words';
import { readTpdu, TPDU_LENGTH, TPDU_PROTOCOL_ID } from './framing/tpdu';
import { adoptSlots, type FieldSlots, type IsoMessage } from './message';
import { MAX_PAYLOAD_BYTES } from './pack';

export interface DecodedFrame {
  message: IsoMessage;
  /** nac-bcd only: the 5 TPDU bytes as received. */
  tpdu?: Buffer;
  /**
   * When field 64 is present: the body bytes (MTI to the last field; no length header, no TPDU) with
   * the 8 bytes of field 64's value left out. This is what the MAC covers.
   */
  macInput?: Buffer;
}

/*
 * swc compiles every use of an imported binding to a getter call on the other module's exports,
 * which V8 does not always inline: the per-frame path uses these copies, taken once.
 */
const frame = scratchFrame;
const words = frameWords;
const progress = scratchProgress;
const textFields = scratchFields;
const textStarts = scratchStarts;
const textEnds = scratchEnds;
const walkFields = readFields;
const DIGIT_PAIRS = BCD_DIGIT_PAIRS;
const numeric = numericBad;
const copyBinary = readBinary;
const copyTpdu = readTpdu;
const stringOf = latin1Slice;
const wrap = adoptSlots;
const MAX_PAYLOAD = MAX_PAYLOAD_BYTES;
const TPDU_BYTES = TPDU_LENGTH;
const TPDU_ID = TPDU_PROTOCOL_ID;
const BINARY = DATA_BINARY;
/** As in encoding/latin1.ts: V8 does not constant-fold a method loaded from a typed array's prototype. */
const copyInto = Uint8Array.prototype.set;

const MAC_FIELD = 64;
const MAC_BYTES = 8;

/**
 * Decodes one frame payload. Every read is bounds-checked first, and every failure is an Iso8583Error
 * naming the field and offset; the message is built only once the whole payload has been read.
 */
export function unpackFrame(spec: CompiledSpec, payload: Buffer, withTpdu: boolean): DecodedFrame {
  const end = payload.length;
  progress.texts = 0;
  // Past this, the scratch frame has no room; no 2-byte length header can announce such a payload.
  if (end > MAX_PAYLOAD) throw new FrameTooLargeError(end, MAX_PAYLOAD);
  copyInto.call(frame, payload, 0);
  let pos = 0;
  let tpdu: Buffer | undefined;
  if (withTpdu) {
    if (end < TPDU_BYTES)
      throw decodeError('TRUNCATED', 'frame is shorter than the 5-byte TPDU', undefined, 0);
    if (frame[0] !== TPDU_ID) throw decodeError('BAD_TPDU', 'TPDU protocol id is not 0x60', undefined, 0);
    tpdu = copyTpdu(frame, 0);
    pos = TPDU_BYTES;
  }
  const bodyStart = pos;

  // The MTI is text entry 0 (field 0). Spelled BCD digits go after the payload.
  let spelled = end;
  if (spec.mtiBcd) {
    if (pos + 2 > end) throw decodeError('TRUNCATED', 'frame ends inside the MTI', undefined, pos);
    const hi = DIGIT_PAIRS[frame[pos]];
    const lo = DIGIT_PAIRS[frame[pos + 1]];
    if (hi === 0 || lo === 0) throw decodeError('BAD_MTI', 'MTI is not 4 digits', undefined, pos);
    words.setUint16(spelled, hi);
    words.setUint16(spelled + 2, lo);
    textStarts[0] = spelled;
    spelled += 4;
    pos += 2;
  } else {
    if (pos + 4 > end) throw decodeError('TRUNCATED', 'frame ends inside the MTI', undefined, pos);
    if (numeric(words.getInt32(pos, true)) !== 0)
      throw decodeError('BAD_MTI', 'MTI is not 4 digits', undefined, pos);
    textStarts[0] = pos;
    pos += 4;
  }
  textFields[0] = 0;
  textEnds[0] = textStarts[0] + 4;
  progress.texts = 1;
  progress.spelled = spelled;

  if (pos + 8 > end) throw decodeError('TRUNCATED', 'frame ends inside the primary bitmap', undefined, pos);
  const w0 = words.getInt32(pos);
  const w1 = words.getInt32(pos + 4);
  let w2 = 0;
  let w3 = 0;
  if (w0 < 0) {
    // Bit 1: a secondary bitmap follows. iso_8583 always sends one, even empty, and that is accepted.
    if (pos + 16 > end)
      throw decodeError('TRUNCATED', 'frame ends inside the secondary bitmap', undefined, pos + 8);
    w2 = words.getInt32(pos + 8);
    w3 = words.getInt32(pos + 12);
  }
  if (w2 < 0) throw decodeError('BAD_BITMAP', 'bit 65 (tertiary bitmap) is not supported', 65, pos + 8);
  const present0 = w0 & 0x7fffffff;
  if ((present0 | w1 | w2 | w3) === 0)
    throw decodeError('BAD_BITMAP', 'bitmap announces no fields', undefined, pos);
  pos += w0 < 0 ? 16 : 8;
  // Sized to the highest field announced (IsoMessage grows it on a later set).
  const slots: FieldSlots = new Array<string | Buffer | undefined>(highestField(present0, w1, w2, w3) + 1);

  pos = walkFields(spec.fields, slots, present0, w1, w2, w3, pos, end);
  if (pos !== end)
    throw decodeError('TRAILING_BYTES', `${end - pos} bytes after the last field`, undefined, pos);

  // The whole frame is valid: now its text becomes strings.
  const text = stringOf(frame, 0, progress.spelled);
  const mti = text.substring(textStarts[0], textEnds[0]);
  const texts = progress.texts;
  for (let k = 1; k < texts; k++) slots[textFields[k]] = text.substring(textStarts[k], textEnds[k]);

  let macInput: Buffer | undefined;
  const macAt = progress.macAt;
  const macSpec = spec.fields[MAC_FIELD];
  if (
    macAt >= 0 &&
    macSpec !== undefined &&
    macSpec.data === BINARY &&
    macSpec.fixed &&
    macSpec.length === MAC_BYTES
  ) {
    macInput =
      macAt + MAC_BYTES === end
        ? copyBinary(frame, bodyStart, macAt)
        : Buffer.concat([frame.subarray(bodyStart, macAt), frame.subarray(macAt + MAC_BYTES, end)]);
  }
  // Always the same three keys (absent ones undefined), so every decoded frame has one shape.
  return { message: wrap(mti, slots, [present0, w1, w2, w3]), tpdu, macInput };
}

/** The highest field number whose bit is set in the bitmap words (at least one is non-zero). */
function highestField(w0: number, w1: number, w2: number, w3: number): number {
  // The lowest set bit of a word is its highest field: 31 - clz32(w & -w) counts the bits below it.
  if (w3 !== 0) return 128 - (31 - Math.clz32(w3 & -w3));
  if (w2 !== 0) return 96 - (31 - Math.clz32(w2 & -w2));
  if (w1 !== 0) return 64 - (31 - Math.clz32(w1 & -w1));
  return 32 - (31 - Math.clz32(w0 & -w0));
}
