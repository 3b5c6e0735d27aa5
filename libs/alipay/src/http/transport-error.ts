export type TransportFailure = 'timeout' | 'network';

/** The call did not produce an HTTP answer. `kind` says whether our timer fired or the link failed. */
export class TransportError extends Error {
  readonly code = 'ALIPAY.TRANSPORT';
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
