/** What a reconciliation found that does not agree, and what becomes of it. */

export type DifferenceKind =
  /** Alipay holds money the switch does not consider approved and delivered: cancelled automatically. */
  | 'orphan-debit'
  /** The switch approved (and delivered) a payment Alipay's file does not hold. */
  | 'missing-at-alipay'
  /** Both hold the payment, with another amount or currency. */
  | 'amount-mismatch'
  /** A refund one side has and the other lacks, or with another amount. */
  | 'refund-difference'
  /** A row of the file that could not be read. */
  | 'unreadable-line'
  /** AMS settlement: the items of a batch do not add up to its summary's TOTAL. */
  | 'settlement-totals';

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  'orphan-debit',
  'missing-at-alipay',
  'amount-mismatch',
  'refund-difference',
  'unreadable-line',
  'settlement-totals',
];

export interface Difference {
  readonly kind: DifferenceKind;
  /** The request id the difference is about (payment or refund), or `line <n>` for an unreadable row. */
  readonly reference: string;
  /** The switch's figures, e.g. "APPROVED delivered 1250 USD", or "none". */
  readonly switchSide: string;
  /** Alipay's figures from the file, e.g. "paid 1250 USD", or "none". */
  readonly alipaySide: string;
}

export interface OrphanDebit extends Difference {
  readonly kind: 'orphan-debit';
  /** What Alipay holds: the amount to take back. */
  readonly amountMinor: number;
  readonly currency: string;
  /** Undefined: the switch never stored the payment. */
  readonly switchState?: string;
}

export const money = (amountMinor: number, currency: string): string => `${amountMinor} ${currency}`;
