/** A key or certificate that could not be read. The message never carries key material. */
export class KeyFormatError extends Error {
  readonly code = 'ALIPAY.KEY_FORMAT';
  constructor(what: string) {
    super(`cannot read ${what}`);
    this.name = 'KeyFormatError';
  }
}
