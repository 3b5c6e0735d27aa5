import { ASCII as ASCII_ENCODING } from '../encoding/ascii';
import { Binary } from '../encoding/binary';
import { ASCII as ASCII_PREFIX } from '../prefix/ascii';
import { Fixed } from '../prefix/fixed';
import { defineSpec, type MessageSpec } from './define-spec';
import { layoutFields, type Deviations } from './layout';

/**
 * Where the `iso_8583` npm package's default formats (lib/formats.js, v2.6.7) differ from ISO 8583:1987,
 * the ascii dialect follows the package, so both sides pack the same bytes.
 * Deliberate differences from the package, checked by test/interop.spec.ts:
 * - 52, 64, 96, 128 are 8 raw bytes (the package's MaxLen counts hex digits: 64, 96 and 128 would be 4 bytes).
 * - 55 is binary (ICC data); the package calls it ans. Same bytes on the wire for printable content.
 * - 65 (tertiary bitmap) and 127 (Postilion sub-message, 6-digit prefix) are not supported.
 */
const ISO_8583_PACKAGE_DEVIATIONS: Deviations = {
  53: { type: 'b', length: 48 },
  58: { type: 'n', length: 11, format: 'LL' },
  59: { length: 255 },
  118: { type: 'n' },
  119: { type: 'n' },
  120: { type: 'n' },
  121: { type: 'n' },
  122: { type: 'n' },
  127: null,
};

/**
 * ascii: 4 ASCII MTI digits, binary bitmap (secondary only when a field above 64 is present), text and
 * numbers as ASCII, LL/LLL as ASCII digits, `b` fields as raw bytes.
 */
export const asciiSpec: MessageSpec = defineSpec({
  name: 'ascii',
  mti: ASCII_ENCODING,
  fields: layoutFields(ISO_8583_PACKAGE_DEVIATIONS, (_field, el) => ({
    description: el.description,
    type: el.type,
    length: el.length,
    prefix: el.format === 'fixed' ? Fixed : el.format === 'LL' ? ASCII_PREFIX.LL : ASCII_PREFIX.LLL,
    encoding: el.type === 'b' ? Binary : ASCII_ENCODING,
  })),
});
