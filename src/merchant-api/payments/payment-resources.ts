/**
 * What the REST API shows of a payment and a refund: the merchant's words (merchant order id, a status the
 * merchant acts on) over the engine's states. The receipt fields are the ones a terminal receipt prints.
 */
import { currencyByNumeric } from '@switch/alipay';
import type { Payment } from '../../payments/domain/payment';
import type { Refund } from '../../payments/domain/refund';

export type RestPaymentStatus = 'PROCESSING' | 'APPROVED' | 'DECLINED' | 'CANCELLING' | 'CANCELLED';
export type RestRefundStatus = 'PROCESSING' | 'SUCCEEDED' | 'FAILED';

/** The statuses nothing changes any more (an approval can still be cancelled or refunded: it is notified again then). */
export const FINAL_PAYMENT_STATUSES: readonly RestPaymentStatus[] = ['APPROVED', 'DECLINED', 'CANCELLED'];
export const FINAL_REFUND_STATUSES: readonly RestRefundStatus[] = ['SUCCEEDED', 'FAILED'];

export interface PaymentResource {
  paymentId: string;
  merchantOrderId: string;
  storeRef?: string;
  status: RestPaymentStatus;
  declineReason?: string;
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  createdAt: string;
  updatedAt: string;
  receipt: {
    merchantOrderId: string;
    paymentRequestId: string;
    rrn: string;
    approvalCode?: string;
    alipayTransactionId?: string;
    paidAt?: string;
  };
}

export interface RefundResource {
  refundId: string;
  refundRequestId: string;
  paymentId: string;
  status: RestRefundStatus;
  declineReason?: string;
  amountMinor: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
  receipt: { rrn: string; approvalCode?: string; alipayRefundId?: string };
}

export function paymentStatus(payment: Pick<Payment, 'state' | 'delivery'>): RestPaymentStatus {
  switch (payment.state) {
    case 'RECEIVED':
    case 'AWAITING_ALIPAY':
      return 'PROCESSING';
    case 'APPROVED':
      // An approval the merchant was never told of is cancelled at the gateway timeout.
      return payment.delivery === 'undelivered' ? 'CANCELLING' : 'APPROVED';
    case 'DECLINED':
      return 'DECLINED';
    case 'CANCEL_REQUESTED':
      return 'CANCELLING';
    case 'CANCELLED':
      return 'CANCELLED';
  }
}

export function refundStatus(refund: Pick<Refund, 'state'>): RestRefundStatus {
  switch (refund.state) {
    case 'RECEIVED':
    case 'PENDING':
      return 'PROCESSING';
    case 'SUCCEEDED':
      return 'SUCCEEDED';
    case 'FAILED':
      return 'FAILED';
  }
}

export function paymentResource(payment: Payment, order: { merchantOrderId: string; storeRef?: string }): PaymentResource {
  const status = paymentStatus(payment);
  return {
    paymentId: payment.id,
    merchantOrderId: order.merchantOrderId,
    ...(order.storeRef ? { storeRef: order.storeRef } : {}),
    status,
    ...(status === 'DECLINED' ? { declineReason: payment.failureReason ?? 'declined' } : {}),
    amountMinor: payment.amountMinor,
    currency: currencyAlpha(payment.currencyNumeric),
    refundedMinor: payment.refundedMinor,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    receipt: {
      merchantOrderId: order.merchantOrderId,
      paymentRequestId: payment.paymentRequestId,
      rrn: payment.rrn,
      ...(payment.approvalCode ? { approvalCode: payment.approvalCode } : {}),
      ...(payment.alipayTransactionId ? { alipayTransactionId: payment.alipayTransactionId } : {}),
      ...(status === 'APPROVED' ? { paidAt: payment.updatedAt.toISOString() } : {}),
    },
  };
}

export function refundResource(refund: Refund, refundRequestId: string): RefundResource {
  const status = refundStatus(refund);
  return {
    refundId: refund.id,
    refundRequestId,
    paymentId: refund.paymentId,
    status,
    ...(status === 'FAILED' ? { declineReason: refund.failureReason ?? 'declined' } : {}),
    amountMinor: refund.amountMinor,
    currency: currencyAlpha(refund.currencyNumeric),
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
    receipt: {
      rrn: refund.rrn,
      ...(refund.approvalCode ? { approvalCode: refund.approvalCode } : {}),
      ...(refund.alipayRefundId ? { alipayRefundId: refund.alipayRefundId } : {}),
    },
  };
}

function currencyAlpha(numeric: string): string {
  return currencyByNumeric(numeric)?.alpha ?? numeric;
}
