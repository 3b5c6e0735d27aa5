/**
 * The `iso_8583` npm package (v2.6.7), the interoperability reference of the ascii dialect, wrapped
 * for the tests. It represents `b` fields as hex strings and always sends a secondary bitmap.
 */
import type { FieldValue } from '../src';

type PackageJson = Record<string, string>;
interface PackageFormat {
  ContentType: string;
  LenType: string;
  MaxLen: number;
  Label?: string;
}
interface PackageMessage {
  getBufferMessage(): Buffer | { error: string };
  getIsoJSON(buffer: Buffer, config: object): PackageJson | { error: string };
}
type PackageCtor = new (message?: PackageJson, formats?: Record<string, PackageFormat>) => PackageMessage;

/* eslint-disable @typescript-eslint/no-require-imports */
const Iso8583 = require('iso_8583') as PackageCtor;
export const PACKAGE_FORMATS = require('iso_8583/lib/formats') as Record<string, PackageFormat | undefined>;
export const packageCheckType = require('iso_8583/lib/types') as (
  format: { ContentType: string },
  data: string,
  field: number,
) => true | { error: string };
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The package's defaults size 64, 96 and 128 in hex digits as 8, i.e. 4 bytes; ISO 8583 and this
 * codec use 8 bytes. The package is told so, as any user of it talking to a real MAC would.
 */
export const PACKAGE_FORMAT_FIXES: Record<string, PackageFormat> = {
  64: { ContentType: 'b', LenType: 'fixed', MaxLen: 16, Label: 'MAC' },
  96: { ContentType: 'b', LenType: 'fixed', MaxLen: 16, Label: 'Message security code' },
  128: { ContentType: 'b', LenType: 'fixed', MaxLen: 16, Label: 'MAC 2' },
};

/** Our value in the package's representation: hex for its `b` fields, latin1 text otherwise (55 is ans there). */
export function toPackageValue(field: number, value: FieldValue): string {
  if (typeof value === 'string') return value;
  const format = packageFormat(field);
  return format?.ContentType === 'b' ? value.toString('hex') : value.toString('latin1');
}

function packageFormat(field: number): PackageFormat | undefined {
  return PACKAGE_FORMAT_FIXES[field] ?? PACKAGE_FORMATS[field];
}

export function packWithPackage(mti: string, fields: ReadonlyArray<readonly [number, FieldValue]>): Buffer {
  const json: PackageJson = { 0: mti };
  for (const [field, value] of fields) json[field] = toPackageValue(field, value);
  const result = new Iso8583(json, PACKAGE_FORMAT_FIXES).getBufferMessage();
  if (!Buffer.isBuffer(result)) throw new Error(`iso_8583 could not pack: ${result.error}`);
  return result;
}

export function unpackWithPackage(frame: Buffer): PackageJson {
  const result = new Iso8583(undefined, PACKAGE_FORMAT_FIXES).getIsoJSON(frame, {});
  if ('error' in result && typeof result.error === 'string')
    throw new Error(`iso_8583 could not unpack: ${result.error}`);
  return result;
}

/** The package's frame without the all-zero secondary bitmap it always sends, as this codec writes it. */
export function withoutEmptySecondaryBitmap(frame: Buffer): Buffer {
  const bitmapAt = 2 + 4;
  const secondary = frame.subarray(bitmapAt + 8, bitmapAt + 16);
  if ((frame[bitmapAt] & 0x80) === 0 || secondary.some((b) => b !== 0)) return frame;
  const out = Buffer.concat([frame.subarray(0, bitmapAt + 8), frame.subarray(bitmapAt + 16)]);
  out[bitmapAt] = out[bitmapAt] & 0x7f;
  out.writeUInt16BE(out.length - 2, 0);
  return out;
}
