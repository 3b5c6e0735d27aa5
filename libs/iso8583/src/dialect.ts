import { compileSpec, type CompiledSpec } from './compiled-spec';
import { Iso8583Error } from './errors';
import type { FieldSpec } from './field/field-spec';
import { checkTpdu, DEFAULT_TPDU } from './framing/tpdu';
import type { IsoMessage } from './message';
import { packFrame } from './pack';
import { asciiSpec } from './specs/ascii.message-spec';
import { mergeSpec, type MessageSpec } from './specs/define-spec';
import { nacBcdSpec } from './specs/nac-bcd.message-spec';
import { unpackFrame, type DecodedFrame } from './unpack';

export type { DecodedFrame } from './unpack';

export type DialectName = 'ascii' | 'nac-bcd';

export interface EncodeOptions {
  /** nac-bcd only: the 5-byte TPDU to send (default 60 0000 0000). For a reply, swapTpdu(request's). */
  tpdu?: Buffer;
  /** 16-byte double-length DES key: field 64 is set to the retail MAC of the frame's body. */
  macKey?: Buffer;
}

export interface Dialect {
  readonly name: DialectName;
  readonly spec: MessageSpec;
  /** Whole frame: 2-byte big-endian length header, then (nac-bcd) the 5-byte TPDU, then the body. */
  encodeFrame(message: IsoMessage, options?: EncodeOptions): Buffer;
  /**
   * One frame's payload, i.e. the bytes after the 2-byte length header (so at most 65,535 bytes; a
   * longer one is a FrameTooLargeError). Throws Iso8583Error; never returns half-parsed data.
   */
  decodeFrame(payload: Buffer): DecodedFrame;
}

const BASE_SPECS: Readonly<Record<DialectName, MessageSpec>> = { ascii: asciiSpec, 'nac-bcd': nacBcdSpec };

class SpecDialect implements Dialect {
  private readonly compiled: CompiledSpec;
  private readonly withTpdu: boolean;

  constructor(
    readonly name: DialectName,
    readonly spec: MessageSpec,
  ) {
    this.compiled = compileSpec(spec);
    this.withTpdu = name === 'nac-bcd';
  }

  encodeFrame(message: IsoMessage, options: EncodeOptions = {}): Buffer {
    let tpdu: Buffer | undefined;
    if (this.withTpdu) {
      tpdu = options.tpdu ?? DEFAULT_TPDU;
      checkTpdu(tpdu);
    } else if (options.tpdu !== undefined) {
      throw new Iso8583Error('BAD_TPDU', 'the ascii dialect has no TPDU');
    }
    // Field 64 is written here, never set on the caller's message.
    return packFrame(this.compiled, message, tpdu, options.macKey);
  }

  decodeFrame(payload: Buffer): DecodedFrame {
    return unpackFrame(this.compiled, payload, this.withTpdu);
  }
}

/**
 * A dialect, optionally with per-terminal field overrides merged over its base spec (validated by
 * defineSpec, so a bad override fails here, at configuration time, with a SpecError).
 */
export function createDialect(name: DialectName, overrides?: Partial<Record<number, FieldSpec>>): Dialect {
  const base = BASE_SPECS[name];
  if (base === undefined) throw new RangeError(`unknown ISO 8583 dialect ${String(name)}`);
  const spec =
    overrides === undefined || Object.keys(overrides).length === 0 ? base : mergeSpec(base, overrides);
  return Object.freeze(new SpecDialect(name, spec));
}

export const asciiDialect: Dialect = createDialect('ascii');
export const nacBcdDialect: Dialect = createDialect('nac-bcd');
