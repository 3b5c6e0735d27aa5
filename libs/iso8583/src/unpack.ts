import { readWord } from './bitmap';
import { type CompiledField, type CompiledSpec, DATA_BCD, DATA_BINARY, PREFIX_ASCII } from './compiled-spec';
import { isAscii } from './encoding/ascii';
import { spellBcd } from './encoding/bcd';
import { readBinary } from './encoding/binary';
import { latin1Slice } from './encoding/latin1';
import { Iso8583Error, type Iso8583ErrorCode } from './errors';
import { NUMERIC } from './field/charset';
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
const MTI_ENTRY = 0;
const STAN_FIELD = 11;
const TERMINAL_ID_FIELD = 41;

/*
 * Text is not made field by field: a call into native code costs more than the rest of a short
 * field's decoding. While the frame is read, ASCII values are only checked against their charset
 * and BCD digits are spelled out as ASCII into `spelled`; each text's place is recorded (entry 0 is
 * the MTI). Once the whole frame has proved valid, one native call makes the payload a string, one
 * more does the same for the spelled digits when there are any, and every value is a substring.
 * Shared: decoding is synchronous.
 */
const spelled = Buffer.allocUnsafe(128 * 1000);
const textFields = new Int32Array(130);
const textStarts = new Int32Array(130);
const textLengths = new Int32Array(130);
/** 1 when the text is in `spelled` (BCD digits), 0 when it is in the payload (ASCII). */
const textSpelled = new Uint8Array(130);

/** Per-frame progress. Reset by every decode. */
interface Cursor {
  texts: number;
  payloadTexts: number;
  spelledBytes: number;
  payload: Buffer;
}
const cursor: Cursor = { texts: 0, payloadTexts: 0, spelledBytes: 0, payload: spelled };

/**
 * Decodes one frame payload. Every read is bounds-checked first, and every failure is an Iso8583Error
 * naming the field and offset; the message is built only once the whole payload has been read.
 */
export function unpackFrame(spec: CompiledSpec, payload: Buffer, withTpdu: boolean): DecodedFrame {
  const end = payload.length;
  cursor.texts = 0;
  cursor.payloadTexts = 0;
  cursor.spelledBytes = 0;
  cursor.payload = payload;
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

  const mtiBytes = spec.mtiBcd ? 2 : 4;
  if (pos + mtiBytes > end) throw decodeError('TRUNCATED', 'frame ends inside the MTI', undefined, pos);
  if (!readText(spec.mtiBcd, payload, pos, 4, mtiBytes, true, false, NUMERIC, MTI_ENTRY)) {
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
  if (((w0 & 0x7fffffff) | w1 | w2 | w3) === 0)
    throw decodeError('BAD_BITMAP', 'bitmap announces no fields', undefined, pos);
  pos += w0 < 0 ? 16 : 8;
  // Sized to the bitmap: 65 slots without a secondary bitmap (IsoMessage grows it on a later set).
  const slots: FieldSlots = new Array<string | Buffer | undefined>(w0 < 0 ? 129 : 65);

  const fields = spec.fields;
  let macAt = -1;
  for (let word = 0; word < 4; word++) {
    let bits = word === 0 ? w0 & 0x7fffffff : word === 1 ? w1 : word === 2 ? w2 : w3;
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

  const digits = cursor.spelledBytes > 0 ? latin1Slice(spelled, 0, cursor.spelledBytes) : '';
  const text = cursor.payloadTexts > 0 ? latin1Slice(payload, 0, end) : '';
  let mti = '';
  for (let k = 0; k < cursor.texts; k++) {
    const value = (textSpelled[k] === 1 ? digits : text).substring(
      textStarts[k],
      textStarts[k] + textLengths[k],
    );
    if (k === MTI_ENTRY) mti = value;
    else slots[textFields[k]] = value;
  }

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
  return { message: adoptSlots(mti, slots), tpdu, macInput };
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
  } else if (
    !readText(cf.data === DATA_BCD, payload, pos, n, bytes, cf.padLeft, cf.track2, cf.charset, cf.field)
  ) {
    throw decodeError('BAD_VALUE', `bytes not allowed in a ${cf.type} field`, cf.field, pos);
  }
  return pos + bytes;
}

/** Checks one text value and records where its characters are; false when a byte or nibble is not allowed. */
function readText(
  bcd: boolean,
  payload: Buffer,
  pos: number,
  units: number,
  bytes: number,
  padLeft: boolean,
  track2: boolean,
  charset: Uint8Array,
  field: number,
): boolean {
  const k = cursor.texts;
  if (bcd) {
    if (!spellBcd(payload, pos, units, padLeft, track2, spelled, cursor.spelledBytes)) return false;
    textSpelled[k] = 1;
    textStarts[k] = cursor.spelledBytes;
    cursor.spelledBytes += units;
  } else {
    if (!isAscii(payload, pos, pos + bytes, charset)) return false;
    textSpelled[k] = 0;
    textStarts[k] = pos;
    cursor.payloadTexts++;
  }
  textFields[k] = field;
  textLengths[k] = units;
  cursor.texts = k + 1;
  return true;
}

/** A text already read in this frame (entry 0 is the MTI), for error context: the cold path. */
function readSoFar(entry: (k: number) => boolean): string | undefined {
  for (let k = 0; k < cursor.texts; k++) {
    if (!entry(k)) continue;
    const source = textSpelled[k] === 1 ? spelled : cursor.payload;
    return latin1Slice(source, textStarts[k], textStarts[k] + textLengths[k]);
  }
  return undefined;
}

function decodeError(
  code: Iso8583ErrorCode,
  reason: string,
  field: number | undefined,
  offset: number,
): Iso8583Error {
  const mti = readSoFar((k) => k === MTI_ENTRY);
  const stan = readSoFar((k) => k !== MTI_ENTRY && textFields[k] === STAN_FIELD);
  const terminalId = readSoFar((k) => k !== MTI_ENTRY && textFields[k] === TERMINAL_ID_FIELD);
  return new Iso8583Error(code, reason, {
    ...(field !== undefined ? { field } : {}),
    offset,
    ...(mti !== undefined ? { mti } : {}),
    ...(stan !== undefined ? { stan } : {}),
    ...(terminalId !== undefined ? { terminalId } : {}),
  });
}
