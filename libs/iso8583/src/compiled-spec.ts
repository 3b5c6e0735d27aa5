import { ALPHANUMERIC, charsetOf, type Charset } from './field/charset';
import { wordTestOf } from './field/charset-words';
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
    /** The charset's four-bytes-at-a-time test (field/charset-words.ts), for the decoder. */
    readonly words: number = wordTestOf(charset),
  ) {}
}

export interface CompiledSpec {
  /** The MTI is 2 BCD bytes, not 4 ASCII digits. */
  readonly mtiBcd: boolean;
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
  // `fields` is not frozen: V8 (Node 20) reads a frozen array's elements through a generic stub, which
  // the decoder would pay per field per frame.
  return Object.freeze({ mtiBcd: spec.mti.name === 'bcd', fields });
}
