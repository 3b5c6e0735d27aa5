/**
 * Telling a retransmission from a new request that reuses a STAN. A terminal repeats a request (MTI
 * 0201/0101, or the same message again) when it did not get an answer; the repeat must get the original's
 * answer and never cause a second payment. Anything else that reuses a STAN still in use is refused (94).
 */

/** What identifies a request's content, beyond terminal and STAN. */
export interface Fingerprint {
  /** 'MMDDhhmmss' terminal local time (fields 13 + 12). */
  localDateTime: string;
  /** MTI with the repeat digit cleared. */
  requestMti: string;
  processingCode: string;
  amountMinor: number;
  currencyNumeric: string;
  /** Payment code hash for payments; absent for refunds and inquiries. */
  paymentCodeHash?: string;
}

export interface StanEntry<T> {
  item: T;
  fingerprint: Fingerprint;
  final: boolean;
}

export type StanMatch<T> =
  | { kind: 'new' }
  | { kind: 'retransmission'; original: T }
  /** Same terminal, STAN and local time but different content, or the STAN belongs to an unfinished transaction. */
  | { kind: 'duplicate'; why: 'different-content' | 'stan-in-use' };

export function matchStan<T>(request: Fingerprint, entries: readonly StanEntry<T>[]): StanMatch<T> {
  const sameMoment = entries.find((entry) => entry.fingerprint.localDateTime === request.localDateTime);
  if (sameMoment) {
    return sameContent(sameMoment.fingerprint, request)
      ? { kind: 'retransmission', original: sameMoment.item }
      : { kind: 'duplicate', why: 'different-content' };
  }
  if (entries.some((entry) => !entry.final)) return { kind: 'duplicate', why: 'stan-in-use' };
  return { kind: 'new' };
}

function sameContent(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.requestMti === b.requestMti &&
    a.processingCode === b.processingCode &&
    a.amountMinor === b.amountMinor &&
    a.currencyNumeric === b.currencyNumeric &&
    a.paymentCodeHash === b.paymentCodeHash
  );
}
