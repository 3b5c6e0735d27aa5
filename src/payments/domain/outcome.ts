/**
 * The engine's answer to a terminal request, in the domain's words. Each delivery edge (ISO 8583 here)
 * maps it to its own codes; the domain never sees ISO response codes.
 */
import type { FailureReason, Payment } from './payment';
import type { Refund } from './refund';

/** Why a request was refused before reaching Alipay. */
export type InvalidKind =
  | 'format' // a mandatory field is missing or malformed
  | 'transaction' // operation not supported, or not allowed on this original
  | 'amount' // zero, malformed, or above what may be refunded
  | 'currency' // unknown ISO 4217 code or not the original's currency
  | 'payment-code' // fails the channel's payment code rules
  | 'merchant-mismatch' // field 42 is not the terminal's merchant
  | 'merchant-unavailable'; // merchant unknown to the switch or suspended

/** What the receipt needs about the transaction answered. */
export interface ReceiptData {
  rrn: string;
  approvalCode?: string;
  alipayTransactionId?: string;
  /** paymentRequestId of a payment, refundRequestId of a refund. */
  requestId: string;
}

export type Outcome =
  | { kind: 'approved'; receipt: ReceiptData }
  | { kind: 'declined'; reason: FailureReason; receipt?: ReceiptData }
  | { kind: 'cancelled'; receipt: ReceiptData }
  | { kind: 'invalid'; problem: InvalidKind }
  | { kind: 'duplicate' }
  | { kind: 'original-not-found' }
  /** Still processing or unknown when the terminal's time ran out; the gateway timeout settles it. */
  | { kind: 'in-doubt'; receipt?: ReceiptData }
  /** Alipay could not be reached at all for a request that therefore did nothing. */
  | { kind: 'unavailable' }
  | { kind: 'system-error' };

export type OutcomeKind = Outcome['kind'];

export function paymentReceipt(payment: Payment): ReceiptData {
  return {
    rrn: payment.rrn,
    approvalCode: payment.approvalCode,
    alipayTransactionId: payment.alipayTransactionId,
    requestId: payment.paymentRequestId,
  };
}

export function refundReceipt(refund: Refund, original?: Payment): ReceiptData {
  return {
    rrn: refund.rrn,
    approvalCode: refund.approvalCode,
    alipayTransactionId: refund.alipayRefundId ?? original?.alipayTransactionId,
    requestId: refund.refundRequestId,
  };
}

/** What a payment's current state tells the terminal (used for repeats and status inquiries). */
export function paymentOutcome(payment: Payment): Outcome {
  switch (payment.state) {
    case 'APPROVED':
      return { kind: 'approved', receipt: paymentReceipt(payment) };
    case 'DECLINED':
      return {
        kind: 'declined',
        reason: payment.failureReason ?? 'declined',
        receipt: paymentReceipt(payment),
      };
    case 'CANCEL_REQUESTED':
    case 'CANCELLED':
      return { kind: 'cancelled', receipt: paymentReceipt(payment) };
    case 'RECEIVED':
    case 'AWAITING_ALIPAY':
      return { kind: 'in-doubt', receipt: paymentReceipt(payment) };
  }
}

export function refundOutcome(refund: Refund, original?: Payment): Outcome {
  switch (refund.state) {
    case 'SUCCEEDED':
      return { kind: 'approved', receipt: refundReceipt(refund, original) };
    case 'FAILED':
      return {
        kind: 'declined',
        reason: refund.failureReason ?? 'declined',
        receipt: refundReceipt(refund, original),
      };
    case 'RECEIVED':
    case 'PENDING':
      return { kind: 'in-doubt', receipt: refundReceipt(refund, original) };
  }
}
