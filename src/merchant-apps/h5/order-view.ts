/** An H5 order as the page (and the merchant) reads it: status in four words, a sentence, the receipt when paid. */
import { currencyByNumeric } from '@switch/alipay';
import type { Payment } from '../../payments/domain/payment';
import { buildReceipt, localTimeIn, type Receipt } from '../../payments/domain/receipt';
import { CANCELLED, declinedMessage, PAID, WAITING } from './customer-messages';

export type OrderStatus = 'PROCESSING' | 'PAID' | 'DECLINED' | 'CANCELLED';

export interface OrderView {
  orderId: string;
  /** The order's number at Alipay (out_trade_no). */
  merchantOrderId: string;
  tradeNo?: string;
  status: OrderStatus;
  amountMinor: number;
  currency: string;
  message: string;
  /** Alipay's or the switch's code when it did not go through (for support, not for the customer). */
  code?: string;
  createdAt: string;
  receipt?: Receipt;
}

export function orderStatus(payment: Payment): OrderStatus {
  switch (payment.state) {
    case 'RECEIVED':
    case 'AWAITING_ALIPAY':
      return 'PROCESSING';
    case 'APPROVED':
      return 'PAID';
    case 'DECLINED':
      return 'DECLINED';
    case 'CANCEL_REQUESTED':
    case 'CANCELLED':
      return 'CANCELLED';
  }
}

export function orderView(payment: Payment, merchant: { merchantName: string; timeZone: string }, tradeNo?: string): OrderView {
  const status = orderStatus(payment);
  const currency = currencyByNumeric(payment.currencyNumeric)?.alpha ?? payment.currencyNumeric;
  const trade = payment.alipayTransactionId ?? tradeNo;
  const view: OrderView = {
    orderId: payment.id,
    merchantOrderId: payment.paymentRequestId,
    status,
    amountMinor: payment.amountMinor,
    currency,
    message: status === 'PAID' ? PAID : status === 'DECLINED' ? declinedMessage(payment.failureReason) : status === 'CANCELLED' ? CANCELLED : WAITING,
    createdAt: payment.createdAt.toISOString(),
  };
  if (trade) view.tradeNo = trade;
  if (payment.failureCode) view.code = payment.failureCode;
  if (status === 'PAID') {
    view.receipt = buildReceipt({
      kind: 'sale',
      merchantOrderId: payment.paymentRequestId,
      ...(trade ? { alipayTransactionId: trade } : {}),
      amountMinor: payment.amountMinor,
      currency,
      // The transaction's time is when the order was placed; later changes (refunds) do not move it.
      localTime: localTimeIn(payment.createdAt, merchant.timeZone),
      merchantName: merchant.merchantName,
      ...(payment.approvalCode ? { approvalCode: payment.approvalCode } : {}),
    });
  }
  return view;
}
