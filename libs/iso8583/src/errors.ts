/**
 * Wire errors. The text of an error names the field, the offset and the reason, never a field's value:
 * values carry card data and payment codes, and error texts end up in logs.
 */
export type Iso8583ErrorCode =
  | 'FRAME_TOO_LARGE'
  | 'TRUNCATED'
  | 'BAD_MTI'
  | 'BAD_BITMAP'
  | 'BAD_LENGTH'
  | 'BAD_VALUE'
  | 'UNKNOWN_FIELD'
  | 'TRAILING_BYTES'
  | 'BAD_TPDU'
  | 'MISSING_VALUE';

/** Where the problem is, and what of the message could be read before it (for a 39=30 answer). */
export interface Iso8583ErrorContext {
  readonly field?: number;
  /** Byte offset inside the frame payload (the bytes after the 2-byte length header). */
  readonly offset?: number;
  readonly mti?: string;
  readonly stan?: string;
  readonly terminalId?: string;
}

export class Iso8583Error extends Error {
  override readonly name: string = 'Iso8583Error';
  readonly code: Iso8583ErrorCode;
  /** The reason alone, without code, field or offset. */
  readonly reason: string;
  readonly field?: number;
  readonly offset?: number;
  readonly mti?: string;
  readonly stan?: string;
  readonly terminalId?: string;

  constructor(code: Iso8583ErrorCode, reason: string, context: Iso8583ErrorContext = {}) {
    super(formatMessage(code, reason, context));
    this.code = code;
    this.reason = reason;
    if (context.field !== undefined) this.field = context.field;
    if (context.offset !== undefined) this.offset = context.offset;
    if (context.mti !== undefined) this.mti = context.mti;
    if (context.stan !== undefined) this.stan = context.stan;
    if (context.terminalId !== undefined) this.terminalId = context.terminalId;
  }
}

/** A length header announced 0 bytes or more than the link allows, or an encoded frame would not fit one. */
export class FrameTooLargeError extends Iso8583Error {
  override readonly name: string = 'FrameTooLargeError';
  readonly announcedBytes: number;
  readonly maxFrameBytes: number;

  constructor(announcedBytes: number, maxFrameBytes: number, context: Iso8583ErrorContext = {}) {
    super(
      'FRAME_TOO_LARGE',
      announcedBytes === 0
        ? 'length header announces an empty frame'
        : `frame of ${announcedBytes} bytes exceeds the limit of ${maxFrameBytes}`,
      context,
    );
    this.announcedBytes = announcedBytes;
    this.maxFrameBytes = maxFrameBytes;
  }
}

/** A spec that cannot describe a wire format (bad length, encoding not allowed for the type...). */
export class SpecError extends Error {
  override readonly name: string = 'SpecError';
}

function formatMessage(code: Iso8583ErrorCode, reason: string, context: Iso8583ErrorContext): string {
  let where = '';
  if (context.field !== undefined) where += `field ${context.field}`;
  if (context.offset !== undefined) where += `${where ? ' ' : ''}at offset ${context.offset}`;
  return where ? `${code}: ${reason} (${where})` : `${code}: ${reason}`;
}
