import { NOT_FIELD_TEXT, TOKEN } from './field-syntax';

const NOT_ASCII_TEXT = /[^\t\x20-\x7e]/;

/** The part of a POST's head fixed by its URL, built once per URL. */
export function requestLine(path: string, host: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
}

/**
 * Head and body of one POST, ready for a single socket write: a string when the head is ASCII (the usual
 * case; the socket encodes it as UTF-8 in one go), else a Buffer with the head in latin1 as HTTP wants.
 * Content-Length (and Host) are ours to set; a caller's copies are ignored.
 */
export function requestPayload(line: string, headers: Record<string, string>, body: string): string | Buffer {
  let head = line;
  let ascii = true;
  for (const name in headers) {
    const value = headers[name];
    if (!TOKEN.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
    if (NOT_ASCII_TEXT.test(value)) {
      if (NOT_FIELD_TEXT.test(value)) throw new TypeError(`invalid character in header ${name}`);
      ascii = false;
    }
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'host') continue;
    head += `${name}: ${value}\r\n`;
  }
  head += `content-length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n`;
  if (ascii) return head + body;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]);
}
