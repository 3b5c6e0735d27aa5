/** How a field's value becomes bytes: one shared, named value per family (moov-io style). */
export type EncodingName = 'ascii' | 'bcd' | 'binary';

export interface Encoding {
  readonly name: EncodingName;
  /** Bytes on the wire for `units` characters, digits or bytes. */
  encodedLength(units: number): number;
}
