/**
 * The original payment's refund ledger. A refund first reserves its amount (under the payment row's
 * version check), then either settles it (Alipay refunded) or releases it (Alipay refused), so the sum of
 * refunds, confirmed or in flight, never exceeds the payment.
 */
import type { Payment } from './payment';

export type RefundRefusal =
  | 'not-refundable' // not an approved payment, or its approval is known not to have reached the terminal
  | 'currency' // not the payment's currency
  | 'amount' // zero or negative
  | 'amount-exceeded'; // more than what is left to refund

export function refundableMinor(payment: Payment): number {
  return payment.amountMinor - payment.refundedMinor - payment.reservedRefundMinor;
}

export function checkRefund(
  payment: Payment,
  amountMinor: number,
  currencyNumeric: string,
): RefundRefusal | undefined {
  // An approval whose delivery is not recorded yet counts as delivered (timeouts.ts), here as everywhere.
  if (payment.state !== 'APPROVED' || payment.delivery === 'undelivered') return 'not-refundable';
  if (currencyNumeric !== payment.currencyNumeric) return 'currency';
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return 'amount';
  if (amountMinor > refundableMinor(payment)) return 'amount-exceeded';
  return undefined;
}

export function reserveRefund(payment: Payment, amountMinor: number, at: Date): Payment {
  return { ...payment, reservedRefundMinor: payment.reservedRefundMinor + amountMinor, updatedAt: at };
}

export function settleRefund(payment: Payment, amountMinor: number, at: Date): Payment {
  return {
    ...payment,
    reservedRefundMinor: Math.max(0, payment.reservedRefundMinor - amountMinor),
    refundedMinor: payment.refundedMinor + amountMinor,
    updatedAt: at,
  };
}

export function releaseRefund(payment: Payment, amountMinor: number, at: Date): Payment {
  return {
    ...payment,
    reservedRefundMinor: Math.max(0, payment.reservedRefundMinor - amountMinor),
    updatedAt: at,
  };
}
