import { createHash, timingSafeEqual } from 'node:crypto';
import { linkSorted, SignParams } from './params';

/** MAPI rule: drop sign, sign_type and empties; sort; `k=v&k=v` with raw values. */
export function mapiSignContent(params: SignParams): string {
  return linkSorted(params, ['sign', 'sign_type']);
}

/** Lowercase hex MD5 of the sign content with the 32-character MD5 key appended directly (no `&key=`). */
export function mapiMd5Sign(params: SignParams, md5Key: string): string {
  return md5Hex(mapiSignContent(params) + md5Key);
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Constant-time check of a received MD5 `sign` (case-insensitive hex). */
export function mapiMd5Verify(params: SignParams, sign: string, md5Key: string): boolean {
  if (typeof sign !== 'string' || !/^[0-9a-fA-F]{32}$/.test(sign)) return false;
  const expected = Buffer.from(mapiMd5Sign(params, md5Key), 'hex');
  return timingSafeEqual(expected, Buffer.from(sign, 'hex'));
}
