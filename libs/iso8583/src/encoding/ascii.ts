import type { Charset } from '../field/charset';
import type { Encoding } from './encoding';

/** One byte per character; the field's charset decides which bytes are allowed. */
export const ASCII: Encoding = Object.freeze({
  name: 'ascii' as const,
  encodedLength: (units: number): number => units,
});

/**
 * Writes `value` at `offset` and returns the offset after it, or -1 when a character is outside the
 * charset (the caller builds the error, so no value ever reaches an error text).
 */
export function writeAscii(target: Buffer, offset: number, value: string, charset: Charset): number {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || charset[c] === 0) return -1;
    target[offset + i] = c;
  }
  return offset + n;
}
