import { Buffer } from 'node:buffer';
import { MAX_PAYLOAD_BYTES } from '../pack';

/*
 * The decoder's working memory, shared: decoding is synchronous, one frame at a time.
 *
 * The payload is copied into `frame` first (one memcpy) and read from there: a buffer the decoder
 * owns has a fixed address and room past the payload's end, so text is checked four bytes per read
 * (field/charset-words.ts) with no bounds test per field. BCD digits are spelled as ASCII right after
 * the payload, so one native call makes payload and digits one string, of which every text value is a
 * substring: that call costs more than the rest of a short field's decoding, so it is made once per
 * frame. The digits take at most twice the payload; 4 bytes of slack let a word read start at the
 * last byte. Nothing decoded shares memory with `frame`: binary values and the TPDU are copied out.
 */
export const frame: Buffer = Buffer.allocUnsafeSlow(3 * (MAX_PAYLOAD_BYTES + 1) + 4);
export const frameWords = new DataView(frame.buffer, frame.byteOffset, frame.length);

/** Where each text value of the frame is in `frame`, in field order; entry 0 is the MTI (field 0). */
export const textFields = new Uint8Array(130);
export const textStarts = new Int32Array(130);
export const textEnds = new Int32Array(130);

/** How far the frame being decoded has got. */
export interface Progress {
  /** Entries of the text arrays filled so far (an error's context reads them). */
  texts: number;
  /** End of the digits spelled after the payload. */
  spelled: number;
  /** Offset of field 64, -1 when absent. */
  macAt: number;
}
export const progress: Progress = { texts: 0, spelled: 0, macAt: -1 };
