import { FrameTooLargeError } from '../errors';
import { LengthPrefixedFramer } from './length-prefixed-framer';

const frame = (payload: string): Buffer => {
  const body = Buffer.from(payload, 'latin1');
  const header = Buffer.alloc(2);
  header.writeUInt16BE(body.length);
  return Buffer.concat([header, body]);
};
const texts = (buffers: Buffer[]): string[] => buffers.map((b) => b.toString('latin1'));

describe('LengthPrefixedFramer', () => {
  it('returns every complete payload of a chunk, in order, without headers', () => {
    const framer = new LengthPrefixedFramer(1024);
    expect(texts(framer.push(Buffer.concat([frame('one'), frame('two'), frame('three')])))).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('waits for the rest of a split header or payload', () => {
    const framer = new LengthPrefixedFramer(1024);
    const bytes = Buffer.concat([frame('hello'), frame('world')]);
    expect(framer.push(bytes.subarray(0, 1))).toEqual([]);
    expect(framer.bufferedBytes).toBe(1);
    expect(framer.push(bytes.subarray(1, 5))).toEqual([]);
    expect(texts(framer.push(bytes.subarray(5, 9)))).toEqual(['hello']);
    expect(framer.bufferedBytes).toBe(2);
    expect(texts(framer.push(bytes.subarray(9)))).toEqual(['world']);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('accepts a frame of exactly the maximum', () => {
    const framer = new LengthPrefixedFramer(5);
    expect(texts(framer.push(frame('12345')))).toEqual(['12345']);
  });

  it('skips zero-length keep-alives, whole or split, between and around frames', () => {
    const framer = new LengthPrefixedFramer(5);
    const keepAlive = Buffer.from([0x00, 0x00]);
    expect(framer.push(keepAlive)).toEqual([]);
    expect(framer.bufferedBytes).toBe(0);
    const stream = Buffer.concat([keepAlive, frame('ab'), keepAlive, keepAlive, frame('cd'), keepAlive]);
    expect(texts(framer.push(stream.subarray(0, 3)))).toEqual([]);
    expect(texts(framer.push(stream.subarray(3, 9)))).toEqual(['ab']);
    expect(texts(framer.push(stream.subarray(9)))).toEqual(['cd']);
    expect(framer.bufferedBytes).toBe(0);
  });

  it.each([
    ['above the maximum', Buffer.from([0x00, 0x06, 0x31]), 6],
    ['at the 2-byte limit', Buffer.from([0xff, 0xff]), 0xffff],
  ])('throws FrameTooLargeError for a header %s, then on every later push', (_what, bytes, announced) => {
    const framer = new LengthPrefixedFramer(5);
    let error: unknown;
    try {
      framer.push(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({ code: 'FRAME_TOO_LARGE', announcedBytes: announced, maxFrameBytes: 5 });
    expect(() => framer.push(frame('ok'))).toThrow(FrameTooLargeError);
  });

  it('rejects a maximum the 2-byte header cannot reach', () => {
    expect(() => new LengthPrefixedFramer(0)).toThrow(RangeError);
    expect(() => new LengthPrefixedFramer(65536)).toThrow(RangeError);
  });
});
