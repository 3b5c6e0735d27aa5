import { MalformedResponse, MAX_BODY_BYTES, MAX_HEAD_BYTES, ResponseParser } from '../src/http/response-parser';

/** Feeds `chunks` in order; returns the parser and whether it said complete after the last one. */
function parse(...chunks: (string | Buffer)[]): { parser: ResponseParser; complete: boolean } {
  const parser = new ResponseParser();
  let complete = false;
  for (const chunk of chunks) complete = parser.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return { parser, complete };
}

/** Every byte its own chunk: the worst split a network can make. */
function byteByByte(text: string): Buffer[] {
  return [...Buffer.from(text, 'utf8')].map((byte) => Buffer.from([byte]));
}

function malformed(...chunks: string[]): string {
  try {
    parse(...chunks);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedResponse);
    return (err as MalformedResponse).reason;
  }
  throw new Error('expected a MalformedResponse');
}

const PLAIN = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"a":"é€"}';

describe('ResponseParser', () => {
  it('reads a Content-Length response in one chunk', () => {
    const { parser, complete } = parse(PLAIN);
    expect(complete).toBe(true);
    expect(parser.response()).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'content-length': '13' }, body: '{"a":"é€"}', keepAlive: true });
  });

  it('reads the same response fed byte by byte, completing only on the last byte', () => {
    const bytes = byteByByte(PLAIN);
    const parser = new ResponseParser();
    bytes.slice(0, -1).forEach((byte) => expect(parser.feed(byte)).toBe(false));
    expect(parser.feed(bytes[bytes.length - 1])).toBe(true);
    expect(parser.response().body).toBe('{"a":"é€"}');
    expect(parser.response().headers['content-type']).toBe('application/json');
  });

  it('finds the end of the head wherever a split falls around it', () => {
    for (let split = 1; split < PLAIN.length; split++) {
      const { parser, complete } = parse(PLAIN.slice(0, split), PLAIN.slice(split));
      expect(complete).toBe(true);
      expect(parser.response().body).toBe('{"a":"é€"}');
    }
  });

  it('lower-cases header names and joins repeated headers with ", "', () => {
    const { parser } = parse('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Trace:  t1 \r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n');
    expect(parser.response().headers).toEqual({ 'set-cookie': 'a=1, b=2', 'x-trace': 't1', 'content-length': '0' });
  });

  it('reads a chunked body with extensions and trailers, a UTF-8 character split across chunks', () => {
    const euro = Buffer.from('€', 'utf8');
    const { parser, complete } = parse(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;name=value\r\nab',
      Buffer.concat([Buffer.from('c\r\n2\r\n'), euro.subarray(0, 2), Buffer.from('\r\n1 ; x\r\n'), euro.subarray(2)]),
      '\r\n0\r\nX-Checksum: 1\r\n\r\n',
    );
    expect(complete).toBe(true);
    expect(parser.response().body).toBe('abc€');
    expect(parser.response().keepAlive).toBe(true);
  });

  it('reads a chunked response fed byte by byte', () => {
    const text = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"é\r\nB\r\n":"€€"}\r\n0\r\n\r\n';
    const { parser, complete } = parse(...byteByByte(text));
    expect(complete).toBe(true);
    expect(parser.response().body).toBe('{"é":"€€"}');
  });

  it('reads a body until close when the response has no framing, and does not keep the connection', () => {
    const { parser, complete } = parse('HTTP/1.1 200 OK\r\n\r\nhello ', 'world');
    expect(complete).toBe(false);
    parser.end();
    expect(parser.complete).toBe(true);
    expect(parser.response()).toMatchObject({ body: 'hello world', keepAlive: false });
  });

  it('skips 100 Continue before the real answer, also when split', () => {
    const text = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok';
    expect(parse(text).parser.response()).toMatchObject({ status: 201, body: 'ok' });
    expect(parse(...byteByByte(text)).parser.response()).toMatchObject({ status: 201, body: 'ok' });
  });

  it('keeps the connection only when both HTTP version and Connection header allow it', () => {
    const keep = (head: string): boolean => parse(`${head}\r\nContent-Length: 0\r\n\r\n`).parser.response().keepAlive;
    expect(keep('HTTP/1.1 200 OK')).toBe(true);
    expect(keep('HTTP/1.1 200 OK\r\nConnection: close')).toBe(false);
    expect(keep('HTTP/1.1 200 OK\r\nConnection: Upgrade, Close')).toBe(false);
    expect(keep('HTTP/1.0 200 OK')).toBe(false);
    expect(keep('HTTP/1.0 200 OK\r\nConnection: keep-alive')).toBe(true);
  });

  it('does not keep a connection that carried both framings, or bytes beyond the response', () => {
    const both = parse('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n');
    expect(both.parser.response()).toMatchObject({ body: 'a', keepAlive: false });
    const overrun = parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab');
    expect(overrun.parser.response()).toMatchObject({ body: 'a', keepAlive: false });
  });

  it('reads 204 and 304 as bodiless whatever their headers say', () => {
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n').complete).toBe(true);
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n').parser.response().body).toBe('');
  });

  it('accepts a status line without a reason phrase, and agreeing repeated Content-Length', () => {
    expect(parse('HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx').parser.response().body).toBe('x');
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx').parser.response().body).toBe('x');
  });

  it.each([
    ['HTTP/1.1 OK\r\n\r\n', 'malformed status line'],
    ['HTTP/2 200 OK\r\n\r\n', 'malformed status line'],
    ['ICY 200 OK\r\n\r\n', 'malformed status line'],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'malformed content-length'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n', 'malformed content-length'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n', 'malformed content-length'],
    [`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`, 'response body too large'],
    ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', 'malformed header line'],
    ['HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n', 'malformed header line'],
    ['HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n', 'malformed header line'],
    ['HTTP/1.1 200 OK\r\nX-A: a\nb\r\n\r\n', 'malformed header value'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 'unsupported transfer-encoding'],
    ['HTTP/1.1 101 Switching Protocols\r\n\r\n', 'unexpected protocol switch'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'malformed chunk size'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', 'malformed chunked framing'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\na\r\n', 'malformed chunked framing'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000001\r\n', 'response body too large'],
  ])('refuses %j', (text, reason) => {
    expect(malformed(text)).toBe(reason);
  });

  it('refuses a head over the bound, whole or in pieces', () => {
    const filler = `HTTP/1.1 200 OK\r\nX-Filler: ${'a'.repeat(MAX_HEAD_BYTES)}`;
    expect(malformed(filler)).toBe('response head too large');
    expect(malformed(`${filler}\r\n\r\n`)).toBe('response head too large');
    expect(malformed(filler.slice(0, 100), filler.slice(100))).toBe('response head too large');
  });

  it('refuses a body read until close that grows over the bound', () => {
    const parser = new ResponseParser();
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
    const mebibyte = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < MAX_BODY_BYTES / mebibyte.length; i++) parser.feed(mebibyte);
    expect(() => parser.feed(Buffer.from('a'))).toThrow('response body too large');
  });

  it('refuses a connection closed before the response is complete', () => {
    const { parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab');
    expect(() => parser.end()).toThrow('connection closed mid-response');
    expect(() => new ResponseParser().end()).toThrow('connection closed mid-response');
  });
});
