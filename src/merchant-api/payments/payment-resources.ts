/**
 * What the REST API shows of a payment and a refund: the merchant's words (merchant order id, a status the
 * merchant acts on) over the engine's states. An approved payment and a succeeded refund carry the receipt
 * the POS prints (buildReceipt, seed 004's rules: the Alipay mark, the reference, the merchant's local time,
 * the amount charged; never the issuer or the customer-side amount).
 */
import { currencyByNumeric } from '@switch/alipay';
import type { Payment } from '../../payments/domain/payment';
import { buildReceipt, localTimeIn, type Receipt, type ReceiptMerchant } from '../../payments/domain/receipt';
import type { Refund } from '../../payments/domain/refund';

export type RestPaymentStatus = 'PROCESSING' | 'APPROVED' | 'DECLINED' | 'CANCELLING' | 'CANCELLED';
export type RestRefundStatus = 'PROCESSING' | 'SUCCEEDED' | 'FAILED';

/** The statuses nothing changes any more (an approval can still be cancelled or refunded: it is notified again then). */
export const FINAL_PAYMENT_STATUSES: readonly RestPaymentStatus[] = ['APPROVED', 'DECLINED', 'CANCELLED'];
export const FINAL_REFUND_STATUSES: readonly RestRefundStatus[] = ['SUCCEEDED', 'FAILED'];

export interface PaymentResource {
  paymentId: string;
  merchantOrderId: string;
  /** The payment's order number at Alipay (out_trade_no / paymentRequestId): what Alipay's support knows it by. */
  paymentRequestId: string;
  storeRef?: string;
  status: RestPaymentStatus;
  declineReason?: string;
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  createdAt: string;
  updatedAt: string;
  /** Only when APPROVED. */
  receipt?: Receipt;
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
  /** Only when SUCCEEDED. */
  receipt?: Receipt;
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

export function paymentResource(payment: Payment, order: { merchantOrderId: string; storeRef?: string }, merchant: ReceiptMerchant): PaymentResource {
  const status = paymentStatus(payment);
  const currency = currencyAlpha(payment.currencyNumeric);
  return {
    paymentId: payment.id,
    merchantOrderId: order.merchantOrderId,
    paymentRequestId: payment.paymentRequestId,
    ...(order.storeRef ? { storeRef: order.storeRef } : {}),
    status,
    ...(status === 'DECLINED' ? { declineReason: payment.failureReason ?? 'declined' } : {}),
    amountMinor: payment.amountMinor,
    currency,
    refundedMinor: payment.refundedMinor,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    ...(status === 'APPROVED'
      ? {
          receipt: buildReceipt({
            kind: 'sale',
            merchantOrderId: payment.paymentRequestId,
            alipayTransactionId: payment.alipayTransactionId,
            amountMinor: payment.amountMinor,
            currency,
            // The transaction's time is when the payment was taken; later refunds do not move it.
            localTime: localTimeIn(payment.createdAt, merchant.timeZone),
            merchantName: merchant.merchantName,
            terminalId: payment.terminalId,
            rrn: payment.rrn,
            approvalCode: payment.approvalCode,
          }),
        }
      : {}),
  };
}

/** `payment` is the refunded one: its trade number stands for the refund's when Alipay gave the refund none. */
export function refundResource(refund: Refund, refundRequestId: string, payment: Pick<Payment, 'alipayTransactionId'>, merchant: ReceiptMerchant): RefundResource {
  const status = refundStatus(refund);
  const currency = currencyAlpha(refund.currencyNumeric);
  return {
    refundId: refund.id,
    refundRequestId,
    paymentId: refund.paymentId,
    status,
    ...(status === 'FAILED' ? { declineReason: refund.failureReason ?? 'declined' } : {}),
    amountMinor: refund.amountMinor,
    currency,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
    ...(status === 'SUCCEEDED'
      ? {
          receipt: buildReceipt({
            kind: 'refund',
            merchantOrderId: refund.refundRequestId,
            alipayTransactionId: refund.alipayRefundId ?? payment.alipayTransactionId,
            amountMinor: refund.amountMinor,
            currency,
            localTime: localTimeIn(refund.createdAt, merchant.timeZone),
            merchantName: merchant.merchantName,
            terminalId: refund.terminalId,
            rrn: refund.rrn,
            approvalCode: refund.approvalCode,
          }),
        }
      : {}),
  };
}

function currencyAlpha(numeric: string): string {
  return currencyByNumeric(numeric)?.alpha ?? numeric;
}
