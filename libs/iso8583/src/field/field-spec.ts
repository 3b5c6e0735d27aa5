import type { Encoding } from '../encoding/encoding';
import type { Prefixer } from '../prefix/prefixer';

/**
 * ISO 8583 content types this codec enforces:
 * - `n`   digits 0-9
 * - `an`  letters and digits
 * - `ans` printable ASCII (0x20-0x7E): letters, digits, space and specials
 * - `z`   track 2 data: digits and the field separator ('=' or 'D'; BCD nibble 0xD)
 * - `b`   bytes (the value is a Buffer)
 */
export type FieldType = 'n' | 'an' | 'ans' | 'z' | 'b';

/** Where the filler nibble goes when a BCD value has an odd number of digits. */
export type BcdPadding = 'left' | 'right';

/** One field's layout: pure data, validated once by defineSpec. */
export interface FieldSpec {
  readonly description: string;
  readonly type: FieldType;
  /** Exact length for a fixed field, maximum for LL/LLL: digits or characters, bytes for `b`. */
  readonly length: number;
  readonly prefix: Prefixer;
  readonly encoding: Encoding;
  /**
   * BCD only. 'left' = filler nibble first, value right-aligned (jPOS IFB_NUMERIC, LEFT_PADDED);
   * 'right' = filler nibble last, value left-aligned (jPOS IFB_LLNUM as ISO87BPackager uses it).
   * Defaults to 'left'.
   */
  readonly padding?: BcdPadding;
}

export const FIELD_TYPES: readonly FieldType[] = Object.freeze(['n', 'an', 'ans', 'z', 'b'] as const);
