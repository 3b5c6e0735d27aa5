import { NOT_FIELD_TEXT, TOKEN } from './field-syntax';

/** A response head (status line and headers) larger than this is not Alipay: refused. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** A response body larger than this is not Alipay either: refused before it fills memory. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** A chunk-size line (with extensions) or trailer line longer than this is refused. */
const MAX_LINE_BYTES = 4 * 1024;

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/;
const DIGITS = /^\d{1,10}$/;
const CHUNK_SIZE_LINE = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/;

/** The answer did not follow HTTP/1.1: the connection carrying it cannot be trusted further. */
export class MalformedResponse extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MalformedResponse';
  }
}

export interface ParsedResponse {
  status: number;
  /** Lower-cased names; a repeated header's values joined with ", ". */
  headers: Record<string, string | undefined>;
  body: string;
  /** Neither side asked to close and the framing allows another exchange on the same connection. */
  keepAlive: boolean;
}

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

/**
 * Reads one HTTP/1.x response from the bytes of a connection, fed as they arrive in chunks split anywhere.
 * Pure: no socket, no timer. Interim 1xx responses are skipped. The body is kept as Buffers and decoded once
 * at the end, so a UTF-8 character split across chunks decodes whole.
 */
export class ResponseParser {
  private phase: Phase = 'head';
  /** Head bytes seen so far when the head spans chunks. */
  private headParts: Buffer[] = [];
  private headBytes = 0;
  /** The last (up to) 3 stashed head bytes: the head's end may straddle a chunk boundary. */
  private headTail: Buffer = Buffer.alloc(0);
  /** A chunked-framing line begun in an earlier chunk (latin1). */
  private line = '';
  private trailerBytes = 0;
  private bodyParts: Buffer[] = [];
  private bodyBytes = 0;
  /** Bytes left of the Content-Length body or of the current chunk. */
  private remaining = 0;
  private status = 0;
  private headers: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  private keepAlive = false;
  /** Bytes came after the end of the response: the server is not speaking one-request-one-response. */
  private overrun = false;

  get complete(): boolean {
    return this.phase === 'done';
  }

  /** Takes the next bytes; true once the response is complete. Throws MalformedResponse. */
  feed(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.phase) {
        case 'head':
          offset = this.feedHead(chunk, offset);
          break;
        case 'length':
        case 'chunk-data':
          offset = this.feedCounted(chunk, offset);
          break;
        case 'until-close':
          this.keepBody(chunk.subarray(offset));
          offset = chunk.length;
          break;
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers':
          offset = this.feedLine(chunk, offset);
          break;
        case 'done':
          this.overrun = true;
          return true;
      }
    }
    return this.phase === 'done';
  }

  /** The peer closed the connection: completes a body read until close; any other unfinished response is malformed. */
  end(): void {
    if (this.phase === 'until-close') this.phase = 'done';
    if (this.phase !== 'done') throw new MalformedResponse('connection closed mid-response');
  }

  response(): ParsedResponse {
    const parts = this.bodyParts;
    const body = parts.length === 0 ? '' : parts.length === 1 ? parts[0].toString('utf8') : Buffer.concat(parts, this.bodyBytes).toString('utf8');
    return { status: this.status, headers: this.headers, body, keepAlive: this.keepAlive && !this.overrun };
  }

  private feedHead(chunk: Buffer, offset: number): number {
    let after: number;
    if (this.headBytes === 0) {
      const end = chunk.indexOf(HEAD_END, offset);
      after = end === -1 ? -1 : end + 4;
    } else {
      const joined = Buffer.concat([this.headTail, chunk.subarray(offset, offset + 3)]);
      const straddling = joined.indexOf(HEAD_END);
      if (straddling !== -1) after = offset + straddling + 4 - this.headTail.length;
      else {
        const end = chunk.indexOf(HEAD_END, offset);
        after = end === -1 ? -1 : end + 4;
      }
    }
    if (after === -1) {
      this.stashHead(chunk.subarray(offset));
      return chunk.length;
    }
    if (this.headBytes + after - offset > MAX_HEAD_BYTES) throw new MalformedResponse('response head too large');
    let text: string;
    if (this.headBytes === 0) text = chunk.toString('latin1', offset, after - 4);
    else {
      const head = Buffer.concat([...this.headParts, chunk.subarray(offset, after)]);
      text = head.toString('latin1', 0, head.length - 4);
      this.headParts = [];
      this.headBytes = 0;
      this.headTail = Buffer.alloc(0);
    }
    this.readHead(text);
    return after;
  }

  private stashHead(piece: Buffer): void {
    this.headBytes += piece.length;
    if (this.headBytes > MAX_HEAD_BYTES) throw new MalformedResponse('response head too large');
    this.headParts.push(piece);
    this.headTail = piece.length >= 3 ? piece.subarray(piece.length - 3) : Buffer.concat([this.headTail, piece]).subarray(-3);
  }

  private readHead(text: string): void {
    const lines = text.split('\r\n');
    const status = STATUS_LINE.exec(lines[0]);
    if (status === null) throw new MalformedResponse('malformed status line');
    const headers = Object.create(null) as Record<string, string | undefined>;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      // A name with whitespace or an obsolete folded line (leading space) fails the token rule: refused.
      if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) throw new MalformedResponse('malformed header line');
      const value = line.slice(colon + 1).trim();
      if (NOT_FIELD_TEXT.test(value)) throw new MalformedResponse('malformed header value');
      const name = line.slice(0, colon).toLowerCase();
      const earlier = headers[name];
      headers[name] = earlier === undefined ? value : `${earlier}, ${value}`;
    }
    const code = Number(status[2]);
    if (code < 200) {
      // 100 Continue and other interim answers precede the real one; 101 would switch protocols we never asked for.
      if (code === 101) throw new MalformedResponse('unexpected protocol switch');
      return;
    }
    this.status = code;
    this.headers = headers;
    this.keepAlive = keepsAlive(status[1] === '1', headers.connection);
    this.frameBody(code, headers);
  }

  private frameBody(code: number, headers: Record<string, string | undefined>): void {
    const transferEncoding = headers['transfer-encoding'];
    const contentLength = headers['content-length'];
    if (code === 204 || code === 304) {
      this.phase = 'done';
    } else if (transferEncoding !== undefined) {
      // We send no Accept-Encoding, so a coding other than chunked is something we could not read.
      if (transferEncoding.toLowerCase() !== 'chunked') throw new MalformedResponse('unsupported transfer-encoding');
      // Both framings at once is how request smuggling starts (RFC 9112 6.3): read chunked, then close.
      if (contentLength !== undefined) this.keepAlive = false;
      this.phase = 'chunk-size';
    } else if (contentLength !== undefined) {
      const length = contentLengthOf(contentLength);
      if (length > MAX_BODY_BYTES) throw new MalformedResponse('response body too large');
      this.remaining = length;
      this.phase = length === 0 ? 'done' : 'length';
    } else {
      // No framing: the body runs to the end of the connection, which therefore cannot carry another request.
      this.keepAlive = false;
      this.phase = 'until-close';
    }
  }

  private feedCounted(chunk: Buffer, offset: number): number {
    const take = Math.min(this.remaining, chunk.length - offset);
    this.keepBody(offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take));
    this.remaining -= take;
    if (this.remaining === 0) this.phase = this.phase === 'length' ? 'done' : 'chunk-end';
    return offset + take;
  }

  private keepBody(piece: Buffer): void {
    if (piece.length === 0) return;
    this.bodyBytes += piece.length;
    if (this.bodyBytes > MAX_BODY_BYTES) throw new MalformedResponse('response body too large');
    this.bodyParts.push(piece);
  }

  /** The line-framed parts of chunked encoding: chunk sizes, the CRLF after each chunk's data, trailers. */
  private feedLine(chunk: Buffer, offset: number): number {
    const newline = chunk.indexOf(10, offset);
    const lineEnd = newline === -1 ? chunk.length : newline;
    if (this.line.length + lineEnd - offset > MAX_LINE_BYTES) throw new MalformedResponse('chunked framing line too long');
    const piece = chunk.toString('latin1', offset, lineEnd);
    if (newline === -1) {
      this.line += piece;
      return chunk.length;
    }
    const full = this.line + piece;
    this.line = '';
    if (!full.endsWith('\r')) throw new MalformedResponse('malformed chunked framing');
    this.takeLine(full.slice(0, -1));
    return newline + 1;
  }

  private takeLine(line: string): void {
    switch (this.phase) {
      case 'chunk-size': {
        const size = CHUNK_SIZE_LINE.exec(line);
        if (size === null) throw new MalformedResponse('malformed chunk size');
        const length = parseInt(size[1], 16);
        if (this.bodyBytes + length > MAX_BODY_BYTES) throw new MalformedResponse('response body too large');
        this.remaining = length;
        this.phase = length === 0 ? 'trailers' : 'chunk-data';
        return;
      }
      case 'chunk-end':
        if (line !== '') throw new MalformedResponse('malformed chunked framing');
        this.phase = 'chunk-size';
        return;
      case 'trailers':
        // Trailers carry nothing we read; they are bounded like a head and otherwise skipped.
        this.trailerBytes += line.length + 2;
        if (this.trailerBytes > MAX_HEAD_BYTES) throw new MalformedResponse('trailers too large');
        if (line === '') this.phase = 'done';
        else if (line.indexOf(':') <= 0) throw new MalformedResponse('malformed trailer line');
        return;
      case 'head':
      case 'length':
      case 'chunk-data':
      case 'until-close':
      case 'done':
        throw new MalformedResponse(`no line expected in phase ${this.phase}`);
    }
  }
}

/** RFC 9112 9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". */
function keepsAlive(http11: boolean, connection: string | undefined): boolean {
  if (connection === undefined) return http11;
  const options = connection.toLowerCase().split(',').map((option) => option.trim());
  if (options.includes('close')) return false;
  return http11 || options.includes('keep-alive');
}

/** A repeated Content-Length is tolerated only when every copy agrees (RFC 9112 6.3). */
function contentLengthOf(value: string): number {
  const copies = value.indexOf(',') === -1 ? [value] : value.split(',').map((copy) => copy.trim());
  for (const copy of copies) {
    if (!DIGITS.test(copy) || copy !== copies[0]) throw new MalformedResponse('malformed content-length');
  }
  return Number(copies[0]);
}
