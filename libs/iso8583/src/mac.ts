import { createCipheriv, timingSafeEqual } from 'node:crypto';

const BLOCK = 8;
const ZERO_IV = Buffer.alloc(BLOCK);

/**
 * ANSI X9.19 retail MAC (ISO/IEC 9797-1 MAC algorithm 3, padding method 1) with a double-length DES
 * key K1|K2: single-DES CBC under K1 over every block, the last block under two-key 3DES (E K1, D K2,
 * E K1). Returns 8 bytes.
 *
 * OpenSSL 3 keeps single DES in its legacy provider, which Node 20 does not load, so the single-DES
 * steps run as 3DES with K1|K1|K1 (E-D-E with one key is one encryption), and the final step as
 * des-ede-cbc chained from the single-DES result.
 */
export function retailMac(key: Buffer, data: Buffer): Buffer {
  if (key.length !== 16) throw new RangeError('retail MAC key must be 16 bytes (double-length DES)');
  const padded = zeroPad(data);
  const lastBlockAt = padded.length - BLOCK;
  let chain = ZERO_IV;
  if (lastBlockAt > 0) {
    const k1 = key.subarray(0, BLOCK);
    const cbc = createCipheriv('des-ede3-cbc', Buffer.concat([k1, k1, k1]), ZERO_IV).setAutoPadding(false);
    const out = Buffer.concat([cbc.update(padded.subarray(0, lastBlockAt)), cbc.final()]);
    chain = out.subarray(out.length - BLOCK);
  }
  const last = createCipheriv('des-ede-cbc', key, chain).setAutoPadding(false);
  return Buffer.concat([last.update(padded.subarray(lastBlockAt)), last.final()]);
}

/** Compares in constant time; false for a MAC of the wrong length. */
export function verifyMac(key: Buffer, data: Buffer, mac: Buffer): boolean {
  if (mac.length !== BLOCK) return false;
  return timingSafeEqual(retailMac(key, data), mac);
}

/** ISO/IEC 9797-1 padding method 1: zero bits up to a whole block; empty data becomes one zero block. */
function zeroPad(data: Buffer): Buffer {
  const remainder = data.length % BLOCK;
  if (data.length > 0 && remainder === 0) return data;
  const padded = Buffer.alloc(data.length + (BLOCK - remainder));
  data.copy(padded);
  return padded;
}
