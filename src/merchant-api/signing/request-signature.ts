/**
 * Merchant request signing, in the style of Alipay's own `Signature` header (Antom): HMAC-SHA256 with the
 * API client's secret over
 *
 *     <METHOD> <path and query as sent>\n<Client-Id>.<Request-Time>.<body>
 *
 * sent as `Signature: algorithm=HMAC-SHA256, keyVersion=1, signature=<base64url>`. Pure: the server checks
 * with it and `npm run pay-sign` signs with it, so both sides read the same text.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'HMAC-SHA256';
export const KEY_VERSION = '1';

export interface SignedParts {
  method: string;
  /** Path and query string exactly as sent (`/pay/v1/payments`). */
  path: string;
  clientId: string;
  /** ISO 8601 UTC, e.g. 2026-12-05T10:00:00.000Z. */
  requestTime: string;
  body: string;
}

export function contentToSign(parts: SignedParts): string {
  return `${parts.method.toUpperCase()} ${parts.path}\n${parts.clientId}.${parts.requestTime}.${parts.body}`;
}

export function signRequest(parts: SignedParts, secret: string): string {
  return createHmac('sha256', secret).update(contentToSign(parts), 'utf8').digest('base64url');
}

export function signatureHeader(parts: SignedParts, secret: string): string {
  return `algorithm=${SIGNATURE_ALGORITHM}, keyVersion=${KEY_VERSION}, signature=${signRequest(parts, secret)}`;
}

/** The signature a `Signature` header carries, or undefined when the header is not of the accepted form. */
export function signatureOf(header: string | undefined): string | undefined {
  if (header === undefined || header.length > 512) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  if (fields.get('algorithm') !== SIGNATURE_ALGORITHM || fields.get('keyVersion') !== KEY_VERSION) return undefined;
  const signature = fields.get('signature');
  return signature !== undefined && /^[A-Za-z0-9_-]{43}$/.test(signature) ? signature : undefined;
}

/** Compares in constant time; a signature of the wrong length is simply wrong. */
export function signatureMatches(parts: SignedParts, secret: string, presented: string): boolean {
  const expected = Buffer.from(signRequest(parts, secret), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Request-Time as the API accepts it: ISO 8601 in UTC (`Z`), parsed; undefined otherwise. */
export function parseRequestTime(text: string | undefined): Date | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
