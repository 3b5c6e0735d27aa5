import type { IsoMessage } from '@switch/iso8583';

/**
 * Told about every answer the terminal gateway gives (metrics). Called on the reply path, so an
 * implementation must be cheap and must not throw.
 */
export interface IsoReplyObserver {
  /** A reply with field 39 = `responseCode` was written for `request`. */
  replied(request: IsoMessage, responseCode: string): void;
  /** No reply was sent: the handler's answer came after the terminal's merchant timeout. */
  deadlinePassed(request: IsoMessage): void;
}
