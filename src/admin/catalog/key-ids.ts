/**
 * How reads name a secret without showing it. A MAC key by its key check value (the first 3 bytes of
 * triple-DES over zeros, what banks and HSMs print), merchant credentials by a short SHA-256 fingerprint.
 */
import { createCipheriv, createHash } from 'node:crypto';

export function keyCheckValue(doubleLengthKey: Buffer): string {
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([doubleLengthKey, doubleLengthKey.subarray(0, 8)]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.alloc(8)), cipher.final()]).subarray(0, 3).toString('hex').toUpperCase();
}

export function fingerprint(secret: Buffer | string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
