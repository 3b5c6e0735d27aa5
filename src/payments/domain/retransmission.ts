/**
 * Telling a retransmission from a new request that reuses a STAN. A terminal repeats a request (MTI
 * 0201/0101, or the same message again) when it did not get an answer; the repeat must get the original's
 * answer and never cause a second payment. Anything else that reuses a STAN still in use is refused (94).
 */
import { isFinal, type Payment } from './payment';
import { isRefundFinal, type Refund } from './refund';

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

/** A terminal's earlier transaction with a STAN: a payment or a refund. */
export type StanItem = { type: 'payment'; payment: Payment } | { type: 'refund'; refund: Refund };

/** Everything a terminal did with one STAN, newest first in each list. */
export interface StanUses {
  payments: readonly Payment[];
  refunds: readonly Refund[];
}

/** Classifies a new request against everything the terminal did with its STAN, payments and refunds alike. */
export function matchStanUses(request: Fingerprint, uses: StanUses): StanMatch<StanItem> {
  return matchStan<StanItem>(request, [
    ...uses.payments.map((payment) => ({
      item: { type: 'payment' as const, payment },
      fingerprint: { ...fingerprintOf(payment), paymentCodeHash: payment.paymentCodeHash },
      final: isFinal(payment),
    })),
    ...uses.refunds.map((refund) => ({
      item: { type: 'refund' as const, refund },
      fingerprint: fingerprintOf(refund),
      final: isRefundFinal(refund),
    })),
  ]);
}

/** The content fields every request and stored transaction share (the payment code hash is added apart). */
export function fingerprintOf(t: Omit<Fingerprint, 'paymentCodeHash'>): Fingerprint {
  return {
    localDateTime: t.localDateTime,
    requestMti: t.requestMti,
    processingCode: t.processingCode,
    amountMinor: t.amountMinor,
    currencyNumeric: t.currencyNumeric,
  };
}
