/**
 * A refund of (part of) an approved, delivered payment. Its amount is reserved on the original payment
 * before Alipay is called, so concurrent refunds can never add up to more than the payment.
 */
import type { ChannelName, DeliveryStatus, FailureReason } from './payment';

/**
 * RECEIVED: stored with its amount reserved; the refund call may or may not have reached Alipay.
 * PENDING: Alipay's answer was unknown; the same refundRequestId is retried (refunds are idempotent by it).
 * SUCCEEDED: Alipay confirmed; the reservation moved to the original's refundedMinor. Final.
 * FAILED: Alipay refused; the reservation was released. Final.
 */
export type RefundState = 'RECEIVED' | 'PENDING' | 'SUCCEEDED' | 'FAILED';

export const REFUND_STATES: readonly RefundState[] = ['RECEIVED', 'PENDING', 'SUCCEEDED', 'FAILED'];

export interface Refund {
  readonly id: string;
  /** Sent to Alipay as refundRequestId / out_request_no / partner_refund_id; generated once, reused on retries. */
  readonly refundRequestId: string;
  /** The original payment's `id`. */
  readonly paymentId: string;
  readonly terminalId: string;
  readonly merchantId: string;
  readonly stan: string;
  /** 'MMDDhhmmss' terminal local time of the refund request. */
  readonly localDateTime: string;
  /** Field 37 assigned to the refund itself. */
  readonly rrn: string;
  readonly requestMti: string;
  readonly processingCode: string;
  readonly amountMinor: number;
  readonly currencyNumeric: string;
  readonly channel: ChannelName;
  readonly state: RefundState;
  readonly delivery: DeliveryStatus;
  /** Alipay's refund id when it gave one. */
  readonly alipayRefundId?: string;
  readonly approvalCode?: string;
  readonly failureReason?: FailureReason;
  readonly failureCode?: string;
  /** Set when the background retry ran out without a definite answer. */
  readonly manualIntervention: boolean;
  /** Refund calls made so far. */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly merchantDeadlineAt: Date;
  /** Retries of an unknown outcome stop here (createdAt + refund retry window). */
  readonly retryUntil: Date;
  readonly version: number;
  /**
   * The switch instance whose retries drive the refund while its outcome is unknown; absent once it is final
   * or given up to people, and on refunds stored before refunds had owners. As Payment.ownerInstance.
   */
  readonly ownerInstance?: string;
}

/** Whether another instance drives the refund (see ownedElsewhere for payments). */
export function refundOwnedElsewhere(refund: Refund, instanceId: string | undefined): boolean {
  return instanceId !== undefined && refund.ownerInstance !== undefined && refund.ownerInstance !== instanceId;
}

/** A refund nobody's retries drive any more (final, or on the manual-intervention list) has no owner. */
export function withoutRefundOwnerWhenUndriven(refund: Refund): Refund {
  if (refund.ownerInstance === undefined || !(isRefundFinal(refund) || refund.manualIntervention)) return refund;
  const rest: { -readonly [K in keyof Refund]?: Refund[K] } = { ...refund };
  delete rest.ownerInstance;
  return rest as Refund;
}

export function isRefundFinal(refund: Refund): boolean {
  switch (refund.state) {
    case 'SUCCEEDED':
    case 'FAILED':
      return true;
    case 'RECEIVED':
    case 'PENDING':
      return false;
  }
}
