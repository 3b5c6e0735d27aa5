/** How a field's length is put in front of it (moov-io prefix.*, jPOS Prefixer). */
export type PrefixerName = 'fixed' | 'ascii.LL' | 'ascii.LLL' | 'bcd.LL' | 'bcd.LLL';

export interface Prefixer {
  readonly name: PrefixerName;
  /** Length digits: 0 for a fixed field, 2 for LL, 3 for LLL. */
  readonly digits: 0 | 2 | 3;
  /** Bytes the prefix takes on the wire. */
  readonly byteLength: number;
  /** Largest length the prefix can express. */
  readonly maxLength: number;
  readonly encoding: 'none' | 'ascii' | 'bcd';
}
