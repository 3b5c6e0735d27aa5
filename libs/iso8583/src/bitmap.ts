/**
 * The bitmap is binary in both dialects: 8 bytes, or 16 when bit 1 announces the secondary bitmap.
 * It is handled as 32-bit words so presence checks and iteration are a few integer operations.
 */
export const BITMAP_BYTES = 8;
export const SECONDARY_FLAG = 0x80000000;

/** Writes `word` big-endian at `offset`. Bounds are the caller's. */
export function writeWord(target: Buffer, offset: number, word: number): void {
  target[offset] = word >>> 24;
  target[offset + 1] = (word >>> 16) & 0xff;
  target[offset + 2] = (word >>> 8) & 0xff;
  target[offset + 3] = word & 0xff;
}

/** The mask of `field`'s bit inside its word (field 1 is the top bit of word 0). */
export function bitOf(field: number): number {
  return (0x80000000 >>> ((field - 1) & 31)) | 0;
}

/** Field numbers whose bits are set in an 8- or 16-byte bitmap, bit 1 and 65 included, ascending. */
export function fieldsInBitmap(bitmap: Buffer): number[] {
  const fields: number[] = [];
  for (let byte = 0; byte < bitmap.length; byte++) {
    for (let bit = 0; bit < 8; bit++)
      if ((bitmap[byte] & (0x80 >> bit)) !== 0) fields.push(byte * 8 + bit + 1);
  }
  return fields;
}
