import { ALPHANUMERIC, charsetOf, NUMERIC, type Charset } from './field/charset';
import type { MessageSpec } from './specs/define-spec';

export const DATA_ASCII = 0;
export const DATA_BCD = 1;
export const DATA_BINARY = 2;
export const PREFIX_NONE = 0;
export const PREFIX_ASCII = 1;
export const PREFIX_BCD = 2;

/**
 * A field spec flattened into small integers and one charset table: every compiled field has the same
 * shape, so the codec's property reads stay monomorphic, and nothing is looked up by name per message.
 */
export class CompiledField {
  constructor(
    readonly field: number,
    readonly type: string,
    readonly data: number,
    readonly charset: Charset,
    readonly track2: boolean,
    readonly padLeft: boolean,
    readonly fixed: boolean,
    readonly length: number,
    readonly prefix: number,
    readonly prefixDigits: number,
    readonly prefixBytes: number,
  ) {}
}

export interface CompiledSpec {
  readonly mtiBcd: boolean;
  /** The MTI as a fixed 4-digit field numbered 0, so the decoder reads it like any other text. */
  readonly mti: CompiledField;
  /**
   * True when some text is BCD: the decoder then gathers every text (ASCII ones copied) into one
   * buffer and makes it a string with a single native call, instead of one for the payload and one
   * for the spelled digits.
   */
  readonly gatherText: boolean;
  /** Indexed by field number, 129 slots. */
  readonly fields: ReadonlyArray<CompiledField | undefined>;
}

export function compileSpec(spec: MessageSpec): CompiledSpec {
  const fields = new Array<CompiledField | undefined>(129).fill(undefined);
  for (const key of Object.keys(spec.fields)) {
    const field = Number(key);
    const f = spec.fields[field]!;
    const data =
      f.encoding.name === 'bcd' ? DATA_BCD : f.encoding.name === 'binary' ? DATA_BINARY : DATA_ASCII;
    const prefix =
      f.prefix.encoding === 'ascii' ? PREFIX_ASCII : f.prefix.encoding === 'bcd' ? PREFIX_BCD : PREFIX_NONE;
    fields[field] = new CompiledField(
      field,
      f.type,
      data,
      f.type === 'b' ? ALPHANUMERIC : charsetOf(f.type),
      f.type === 'z',
      f.padding !== 'right',
      prefix === PREFIX_NONE,
      f.length,
      prefix,
      f.prefix.digits,
      f.prefix.byteLength,
    );
  }
  const mtiBcd = spec.mti.name === 'bcd';
  const mti = new CompiledField(
    0,
    'n',
    mtiBcd ? DATA_BCD : DATA_ASCII,
    NUMERIC,
    false,
    true,
    true,
    4,
    PREFIX_NONE,
    0,
    0,
  );
  const gatherText = mtiBcd || fields.some((f) => f !== undefined && f.data === DATA_BCD);
  return Object.freeze({ mtiBcd, mti, gatherText, fields: Object.freeze(fields) });
}
