import { BITMAP_BYTES, SECONDARY_FLAG, writeWord } from './bitmap';
import { type CompiledField, DATA_BCD, DATA_BINARY, PREFIX_ASCII, type CompiledSpec } from './compiled-spec';
import { writeAscii } from './encoding/ascii';
import { writeBcd } from './encoding/bcd';
import { FrameTooLargeError, Iso8583Error, type Iso8583ErrorCode } from './errors';
import { NUMERIC } from './field/charset';
import { TPDU_LENGTH } from './framing/tpdu';
import { retailMac } from './mac';
import { SLOTS, type IsoMessage } from './message';
import { writeAsciiLength } from './prefix/ascii';
import { writeBcdLength } from './prefix/bcd';

const HEADER_BYTES = 2;
/** The 2-byte length header's limit on everything after it. */
export const MAX_PAYLOAD_BYTES = 0xffff;
const MAC_FIELD = 64;
const MAC_BYTES = 8;
const MAC_PLACEHOLDER = Buffer.alloc(MAC_BYTES);

/*
 * Frames are written once, front to back, into this buffer and copied out at the exact size: no
 * size pre-pass, no concatenation. It is safe to share because packing is synchronous. Its slack
 * holds the largest single field (3-byte prefix + 999 bytes), so the size check runs once per field.
 */
const scratch = Buffer.allocUnsafe(HEADER_BYTES + MAX_PAYLOAD_BYTES + 1024);

/** The whole frame: 2-byte length, the TPDU when given, the body. Throws Iso8583Error on an invalid message. */
export function packFrame(
  spec: CompiledSpec,
  message: IsoMessage,
  tpdu: Buffer | undefined,
  macKey: Buffer | undefined,
): Buffer {
  const slots = message[SLOTS];
  const fields = spec.fields;
  let pos = HEADER_BYTES;
  if (tpdu !== undefined) {
    tpdu.copy(scratch, pos, 0, TPDU_LENGTH);
    pos += TPDU_LENGTH;
  }
  const bodyStart = pos;

  const mti = message.mti;
  if (typeof mti !== 'string' || mti.length !== 4)
    throw encodeError('BAD_MTI', 'MTI must be 4 digits', undefined, 0);
  const mtiEnd = spec.mtiBcd
    ? writeBcd(scratch, pos, mti, true, false)
    : writeAscii(scratch, pos, mti, NUMERIC);
  if (mtiEnd < 0) throw encodeError('BAD_MTI', 'MTI must be 4 digits', undefined, 0);
  pos = mtiEnd;

  let last = Math.min(slots.length - 1, 128);
  while (last > 1 && slots[last] === undefined) last--;
  if (macKey !== undefined && last < MAC_FIELD) last = MAC_FIELD;
  const secondary = last > 64;
  const bitmapAt = pos;
  pos += secondary ? 2 * BITMAP_BYTES : BITMAP_BYTES;
  let w0 = secondary ? SECONDARY_FLAG | 0 : 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let macAt = -1;

  for (let f = 2; f <= last; f++) {
    let value = slots[f];
    if (f === MAC_FIELD && macKey !== undefined) value = MAC_PLACEHOLDER;
    if (value === undefined) continue;
    const cf = fields[f];
    if (cf === undefined)
      throw encodeError('UNKNOWN_FIELD', 'field is not in the dialect spec', f, pos - HEADER_BYTES);
    if (f === MAC_FIELD && macKey !== undefined) {
      if (cf.data !== DATA_BINARY || !cf.fixed || cf.length !== MAC_BYTES) {
        throw encodeError(
          'BAD_VALUE',
          'field 64 must be 8 fixed bytes to carry a MAC',
          f,
          pos - HEADER_BYTES,
        );
      }
      macAt = pos;
    }
    pos = writeField(cf, value, pos);
    if (pos > HEADER_BYTES + MAX_PAYLOAD_BYTES)
      throw new FrameTooLargeError(pos - HEADER_BYTES, MAX_PAYLOAD_BYTES, { field: f });
    const mask = (0x80000000 >>> ((f - 1) & 31)) | 0;
    if (f <= 32) w0 |= mask;
    else if (f <= 64) w1 |= mask;
    else if (f <= 96) w2 |= mask;
    else w3 |= mask;
  }
  if (((w0 & 0x7fffffff) | w1 | w2 | w3) === 0)
    throw encodeError('BAD_BITMAP', 'message has no fields', undefined, bitmapAt - HEADER_BYTES);

  writeWord(scratch, bitmapAt, w0);
  writeWord(scratch, bitmapAt + 4, w1);
  if (secondary) {
    writeWord(scratch, bitmapAt + 8, w2);
    writeWord(scratch, bitmapAt + 12, w3);
  }
  const payloadBytes = pos - HEADER_BYTES;
  scratch[0] = payloadBytes >>> 8;
  scratch[1] = payloadBytes & 0xff;

  if (macKey !== undefined) {
    const covered =
      macAt + MAC_BYTES === pos
        ? scratch.subarray(bodyStart, macAt)
        : Buffer.concat([scratch.subarray(bodyStart, macAt), scratch.subarray(macAt + MAC_BYTES, pos)]);
    retailMac(macKey, covered).copy(scratch, macAt);
  }

  const frame = Buffer.allocUnsafe(pos);
  scratch.copy(frame, 0, 0, pos);
  return frame;
}

function writeField(cf: CompiledField, value: string | Buffer, at: number): number {
  let pos = at;
  if (cf.data === DATA_BINARY) {
    if (typeof value === 'string' || !Buffer.isBuffer(value)) {
      throw encodeError('BAD_VALUE', 'binary field needs a Buffer', cf.field, at - HEADER_BYTES);
    }
    const n = value.length;
    pos = sizedPrefix(cf, n, 'bytes', at, pos);
    value.copy(scratch, pos);
    return pos + n;
  }
  if (typeof value !== 'string')
    throw encodeError('BAD_VALUE', `${cf.type} field needs a string`, cf.field, at - HEADER_BYTES);
  const n = value.length;
  pos = sizedPrefix(cf, n, 'characters', at, pos);
  const end =
    cf.data === DATA_BCD
      ? writeBcd(scratch, pos, value, cf.padLeft, cf.track2)
      : writeAscii(scratch, pos, value, cf.charset);
  if (end < 0)
    throw encodeError(
      'BAD_VALUE',
      `characters not allowed in a ${cf.type} field`,
      cf.field,
      at - HEADER_BYTES,
    );
  return end;
}

function writeLength(cf: CompiledField, at: number, length: number): number {
  return cf.prefix === PREFIX_ASCII
    ? writeAsciiLength(scratch, at, length, cf.prefixDigits)
    : writeBcdLength(scratch, at, length, cf.prefixDigits);
}

/** Encode errors name the field and offset only: the caller holds the message, possibly invalid values included. */
function encodeError(
  code: Iso8583ErrorCode,
  reason: string,
  field: number | undefined,
  offset: number,
): Iso8583Error {
  return new Iso8583Error(code, reason, field !== undefined ? { field, offset } : { offset });
}

/**
 * Checks a value's size against its field and writes the LL/LLL prefix of a variable field; returns where
 * the data goes. Fixed fields are never padded here: "12" for an n 6 field is the caller's mistake, not "000012".
 */
function sizedPrefix(
  cf: CompiledField,
  n: number,
  unit: 'bytes' | 'characters',
  at: number,
  pos: number,
): number {
  if (cf.fixed) {
    if (n !== cf.length) {
      throw encodeError(
        'BAD_VALUE',
        `must be exactly ${cf.length} ${unit}, got ${n}`,
        cf.field,
        at - HEADER_BYTES,
      );
    }
    return pos;
  }
  if (n > cf.length) {
    throw encodeError(
      'BAD_LENGTH',
      `${n} ${unit} exceed the maximum of ${cf.length}`,
      cf.field,
      at - HEADER_BYTES,
    );
  }
  return writeLength(cf, pos, n);
}
