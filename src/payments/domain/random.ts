import { randomBytes } from 'node:crypto';

/** Source of unpredictable bytes; injectable so tests can force collisions. */
export type RandomBytes = (size: number) => Buffer;

/**
 * Bytes from the CSPRNG, drawn in 4 KiB refills: a call into OpenSSL per identifier (three per purchase)
 * cost more than the identifiers themselves. Each caller gets its own copy; a drawn byte is never given twice.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let drawn = 0;

export const cryptoRandom: RandomBytes = (size) => {
  if (size > POOL_SIZE) return randomBytes(size);
  if (drawn + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    drawn = 0;
  }
  const bytes = Buffer.from(pool.subarray(drawn, drawn + size));
  drawn += size;
  return bytes;
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` characters of Crockford base32 (5 random bits each): no I, L, O, U to misread on a receipt. */
export function randomBase32(length: number, random: RandomBytes): string {
  const bytes = random(Math.ceil((length * 5) / 8));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** `length` decimal digits, without modulo bias. */
export function randomDigits(length: number, random: RandomBytes): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(length)) {
      if (byte < 250 && out.length < length) out += String(byte % 10);
    }
  }
  return out;
}
