import { readWord } from './bitmap';
import { type CompiledField, type CompiledSpec, DATA_BCD, DATA_BINARY, PREFIX_ASCII } from './compiled-spec';
import { copyAscii, isAscii } from './encoding/ascii';
import { spellBcd } from './encoding/bcd';
import { readBinary } from './encoding/binary';
import { latin1Slice } from './encoding/latin1';
import { Iso8583Error, type Iso8583ErrorCode } from './errors';
import { TPDU_LENGTH, TPDU_PROTOCOL_ID } from './framing/tpdu';
import { adoptSlots, type FieldSlots, type IsoMessage } from './message';
import { readAsciiLength } from './prefix/ascii';
import { readBcdLength } from './prefix/bcd';

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

const MAC_FIELD = 64;
const MAC_BYTES = 8;
/** The MTI is read as field 0. */
const MTI_FIELD = 0;
const STAN_FIELD = 11;
const TERMINAL_ID_FIELD = 41;

/*
 * Text is not made field by field: a call into native code costs more than the rest of a short
 * field's decoding. While the frame is read, each text value is checked against its charset and its
 * place recorded. When the dialect has BCD text, every text is gathered into `gathered` as it is
 * checked (BCD digits spelled out as ASCII, ASCII copied); otherwise the texts stay where they are in
 * the payload. Once the whole frame has proved valid, one native call makes the payload or the
 * gathered bytes a string, and every value is a substring of it.
 * Shared: decoding is synchronous. A payload is at most 0xffff bytes, so its texts spell at most
 * twice that.
 */
const gathered = Buffer.allocUnsafe(2 * 0x10000);
const textFields = new Uint8Array(130);
const textStarts = new Int32Array(130);
const textEnds = new Int32Array(130);

/** Per-frame progress. Reset by every decode. */
interface Cursor {
  texts: number;
  /** Bytes written to `gathered`. */
  gatheredBytes: number;
  gather: boolean;
  /** Where the recorded texts are: `gathered`, or the payload. */
  source: Buffer;
}
const cursor: Cursor = { texts: 0, gatheredBytes: 0, gather: false, source: gathered };

/**
 * Decodes one frame payload. Every read is bounds-checked first, and every failure is an Iso8583Error
 * naming the field and offset; the message is built only once the whole payload has been read.
 */
export function unpackFrame(spec: CompiledSpec, payload: Buffer, withTpdu: boolean): DecodedFrame {
  const end = payload.length;
  const gather = spec.gatherText;
  cursor.texts = 0;
  cursor.gatheredBytes = 0;
  cursor.gather = gather;
  cursor.source = gather ? gathered : payload;
  let pos = 0;
  let tpdu: Buffer | undefined;
  if (withTpdu) {
    if (end < TPDU_LENGTH)
      throw decodeError('TRUNCATED', 'frame is shorter than the 5-byte TPDU', undefined, 0);
    if (payload[0] !== TPDU_PROTOCOL_ID)
      throw decodeError('BAD_TPDU', 'TPDU protocol id is not 0x60', undefined, 0);
    tpdu = readBinary(payload, 0, TPDU_LENGTH);
    pos = TPDU_LENGTH;
  }
  const bodyStart = pos;

  const mti = spec.mti;
  const mtiBytes = mti.data === DATA_BCD ? 2 : 4;
  if (pos + mtiBytes > end) throw decodeError('TRUNCATED', 'frame ends inside the MTI', undefined, pos);
  if (!readText(mti, payload, pos, 4, mtiBytes)) {
    throw decodeError('BAD_MTI', 'MTI is not 4 digits', undefined, pos);
  }
  pos += mtiBytes;

  if (pos + 8 > end) throw decodeError('TRUNCATED', 'frame ends inside the primary bitmap', undefined, pos);
  const w0 = readWord(payload, pos);
  const w1 = readWord(payload, pos + 4);
  let w2 = 0;
  let w3 = 0;
  if (w0 < 0) {
    // Bit 1: a secondary bitmap follows. iso_8583 always sends one, even empty, and that is accepted.
    if (pos + 16 > end)
      throw decodeError('TRUNCATED', 'frame ends inside the secondary bitmap', undefined, pos + 8);
    w2 = readWord(payload, pos + 8);
    w3 = readWord(payload, pos + 12);
  }
  if (w2 < 0) throw decodeError('BAD_BITMAP', 'bit 65 (tertiary bitmap) is not supported', 65, pos + 8);
  const present0 = w0 & 0x7fffffff;
  if ((present0 | w1 | w2 | w3) === 0)
    throw decodeError('BAD_BITMAP', 'bitmap announces no fields', undefined, pos);
  pos += w0 < 0 ? 16 : 8;
  // Sized to the highest field announced (IsoMessage grows it on a later set).
  const slots: FieldSlots = new Array<string | Buffer | undefined>(highestField(present0, w1, w2, w3) + 1);

  const fields = spec.fields;
  let macAt = -1;
  for (let word = 0; word < 4; word++) {
    let bits = word === 0 ? present0 : word === 1 ? w1 : word === 2 ? w2 : w3;
    while (bits !== 0) {
      const z = Math.clz32(bits);
      bits ^= 0x80000000 >>> z;
      const f = (word << 5) + z + 1;
      const cf = fields[f];
      if (cf === undefined)
        throw decodeError('UNKNOWN_FIELD', 'bitmap announces a field the dialect does not define', f, pos);
      if (f === MAC_FIELD) macAt = pos;
      pos = readField(cf, payload, pos, end, slots);
    }
  }
  if (pos !== end)
    throw decodeError('TRAILING_BYTES', `${end - pos} bytes after the last field`, undefined, pos);

  // Entry 0 is the MTI: it is read first.
  const text = latin1Slice(cursor.source, 0, gather ? cursor.gatheredBytes : end);
  const mtiText = text.substring(textStarts[0], textEnds[0]);
  const texts = cursor.texts;
  for (let k = 1; k < texts; k++) slots[textFields[k]] = text.substring(textStarts[k], textEnds[k]);

  let macInput: Buffer | undefined;
  const macSpec = fields[MAC_FIELD];
  if (
    macAt >= 0 &&
    macSpec !== undefined &&
    macSpec.data === DATA_BINARY &&
    macSpec.fixed &&
    macSpec.length === MAC_BYTES
  ) {
    macInput =
      macAt + MAC_BYTES === end
        ? readBinary(payload, bodyStart, macAt)
        : Buffer.concat([payload.subarray(bodyStart, macAt), payload.subarray(macAt + MAC_BYTES, end)]);
  }
  // Always the same three keys (absent ones undefined), so every decoded frame has one shape.
  return { message: adoptSlots(mtiText, slots, [present0, w1, w2, w3]), tpdu, macInput };
}

/** The highest field number whose bit is set in the bitmap words (at least one is non-zero). */
function highestField(w0: number, w1: number, w2: number, w3: number): number {
  // The lowest set bit of a word is its highest field: 31 - clz32(w & -w) counts the bits below it.
  if (w3 !== 0) return 128 - (31 - Math.clz32(w3 & -w3));
  if (w2 !== 0) return 96 - (31 - Math.clz32(w2 & -w2));
  if (w1 !== 0) return 64 - (31 - Math.clz32(w1 & -w1));
  return 32 - (31 - Math.clz32(w0 & -w0));
}

function readField(cf: CompiledField, payload: Buffer, at: number, end: number, slots: FieldSlots): number {
  let pos = at;
  let n = cf.length;
  if (!cf.fixed) {
    if (pos + cf.prefixBytes > end)
      throw decodeError('TRUNCATED', 'frame ends inside the length prefix', cf.field, pos);
    n =
      cf.prefix === PREFIX_ASCII
        ? readAsciiLength(payload, pos, cf.prefixDigits)
        : readBcdLength(payload, pos, cf.prefixDigits);
    if (n < 0) throw decodeError('BAD_LENGTH', 'length prefix is not decimal', cf.field, pos);
    if (n > cf.length)
      throw decodeError('BAD_LENGTH', `length ${n} exceeds the maximum of ${cf.length}`, cf.field, pos);
    pos += cf.prefixBytes;
  }
  const bytes = cf.data === DATA_BCD ? (n + 1) >> 1 : n;
  if (pos + bytes > end)
    throw decodeError('TRUNCATED', `frame ends inside the field's ${bytes} bytes`, cf.field, pos);
  if (cf.data === DATA_BINARY) {
    slots[cf.field] = readBinary(payload, pos, pos + bytes);
  } else if (!readText(cf, payload, pos, n, bytes)) {
    throw decodeError('BAD_VALUE', `bytes not allowed in a ${cf.type} field`, cf.field, pos);
  }
  return pos + bytes;
}

/**
 * Checks one text value of `units` characters in `bytes` bytes at `pos` and records where its
 * characters are (gathering them when the frame's texts are gathered); false when a byte or nibble
 * is not allowed.
 */
function readText(cf: CompiledField, payload: Buffer, pos: number, units: number, bytes: number): boolean {
  let start: number;
  if (cf.data === DATA_BCD) {
    start = cursor.gatheredBytes;
    if (!spellBcd(payload, pos, units, cf.padLeft, cf.track2, gathered, start)) return false;
    cursor.gatheredBytes = start + units;
  } else if (cursor.gather) {
    start = cursor.gatheredBytes;
    if (!copyAscii(payload, pos, pos + bytes, cf.charset, gathered, start)) return false;
    cursor.gatheredBytes = start + bytes;
  } else {
    if (!isAscii(payload, pos, pos + bytes, cf.charset)) return false;
    start = pos;
  }
  const k = cursor.texts;
  textFields[k] = cf.field;
  textStarts[k] = start;
  textEnds[k] = start + units;
  cursor.texts = k + 1;
  return true;
}

/** A text already read in this frame (field 0 is the MTI), for error context: the cold path. */
function readSoFar(field: number): string | undefined {
  for (let k = 0; k < cursor.texts; k++) {
    if (textFields[k] === field) return latin1Slice(cursor.source, textStarts[k], textEnds[k]);
  }
  return undefined;
}

function decodeError(
  code: Iso8583ErrorCode,
  reason: string,
  field: number | undefined,
  offset: number,
): Iso8583Error {
  const mti = readSoFar(MTI_FIELD);
  const stan = readSoFar(STAN_FIELD);
  const terminalId = readSoFar(TERMINAL_ID_FIELD);
  return new Iso8583Error(code, reason, {
    ...(field !== undefined ? { field } : {}),
    offset,
    ...(mti !== undefined ? { mti } : {}),
    ...(stan !== undefined ? { stan } : {}),
    ...(terminalId !== undefined ? { terminalId } : {}),
  });
}
