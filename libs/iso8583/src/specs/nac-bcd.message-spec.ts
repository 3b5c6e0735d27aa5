import { ASCII as ASCII_ENCODING } from '../encoding/ascii';
import { BCD as BCD_ENCODING } from '../encoding/bcd';
import { Binary } from '../encoding/binary';
import { BCD as BCD_PREFIX } from '../prefix/bcd';
import { Fixed } from '../prefix/fixed';
import { defineSpec, type MessageSpec } from './define-spec';
import { layoutFields, type Deviations } from './layout';

/**
 * Where jPOS ISO87BPackager differs from ISO 8583:1987, the nac-bcd dialect follows jPOS, the layout
 * NAC-framed terminals are usually built against.
 * - 28-31, 97 (IFB_AMOUNT: sign in ASCII, digits in BCD) are not supported.
 * - 36 is text (IFB_LLLCHAR), 96 is 16 bytes (IFB_BINARY 16).
 * - 55 is binary LLL, the length counting bytes (jPOS calls it LLLCHAR; ICC data is binary).
 * - 65 (tertiary bitmap) is not supported.
 */
const ISO87B_PACKAGER_DEVIATIONS: Deviations = {
  28: null,
  29: null,
  30: null,
  31: null,
  36: { type: 'ans' },
  96: { length: 16 },
  97: null,
};

/**
 * IFB_LLNUM with pad=false, as ISO87BPackager declares 2, 32, 33, 35, 99 and 100: an odd digit count
 * is left-aligned, the filler nibble last (jPOS BCDInterpreter.RIGHT_PADDED). Fixed numerics
 * (IFB_NUMERIC, pad=true) are right-aligned, the filler nibble first.
 */
const LEFT_ALIGNED_LLNUM: ReadonlySet<number> = new Set([2, 32, 33, 35, 99, 100]);

/**
 * nac-bcd: 2-byte BCD MTI, binary bitmap, n/z fields BCD, text ASCII, `b` raw, LL (1 byte) and LLL
 * (2 bytes) lengths in BCD. The TPDU and 2-byte length are the framing's; see dialect.ts.
 */
export const nacBcdSpec: MessageSpec = defineSpec({
  name: 'nac-bcd',
  mti: BCD_ENCODING,
  fields: layoutFields(ISO87B_PACKAGER_DEVIATIONS, (field, el) => {
    const numeric = el.type === 'n' || el.type === 'z';
    return {
      description: el.description,
      type: el.type,
      length: el.length,
      prefix: el.format === 'fixed' ? Fixed : el.format === 'LL' ? BCD_PREFIX.LL : BCD_PREFIX.LLL,
      encoding: el.type === 'b' ? Binary : numeric ? BCD_ENCODING : ASCII_ENCODING,
      ...(numeric ? { padding: LEFT_ALIGNED_LLNUM.has(field) ? ('right' as const) : ('left' as const) } : {}),
    };
  }),
});
