import { FrameTooLargeError } from '../errors';

const HEADER_BYTES = 2;
const EMPTY = Buffer.alloc(0);

/**
 * Splits a TCP byte stream into frame payloads by their 2-byte big-endian length header (both
 * dialects; jPOS NACChannel). Payloads may share memory with the pushed chunks: push fresh buffers,
 * as a socket does. A header announcing 0 bytes is a keep-alive (jPOS channels send one to keep an
 * idle link open, and skip them when reading): it yields nothing. A header above the maximum means the
 * stream is out of step for good, so it throws FrameTooLargeError then and on every later push: close
 * the connection.
 */
export class LengthPrefixedFramer {
  private pending: Buffer = EMPTY;
  private failure: FrameTooLargeError | undefined;

  constructor(private readonly maxFrameBytes: number) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1 || maxFrameBytes > 0xffff) {
      throw new RangeError('maxFrameBytes must be an integer from 1 to 65535 (the 2-byte header limit)');
    }
  }

  /** Complete payloads (without their length header) now available, in order. */
  push(chunk: Buffer): Buffer[] {
    if (this.failure !== undefined) throw this.failure;
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const payloads: Buffer[] = [];
    let pos = 0;
    while (buffer.length - pos >= HEADER_BYTES) {
      const announced = (buffer[pos] << 8) | buffer[pos + 1];
      if (announced === 0) {
        pos += HEADER_BYTES;
        continue;
      }
      if (announced > this.maxFrameBytes) {
        this.pending = EMPTY;
        this.failure = new FrameTooLargeError(announced, this.maxFrameBytes, { offset: pos });
        throw this.failure;
      }
      if (buffer.length - pos - HEADER_BYTES < announced) break;
      payloads.push(buffer.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + announced));
      pos += HEADER_BYTES + announced;
    }
    this.pending = pos === buffer.length ? EMPTY : buffer.subarray(pos);
    return payloads;
  }

  /** Bytes received but not yet returned as a payload. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}
