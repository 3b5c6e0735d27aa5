import { ChannelName, DeliveryStatus, FailureReason } from '../../payments/domain/payment';
import { Refund, RefundState } from '../../payments/domain/refund';
import { RefundEntity } from '../entities';

export function refundToRow(r: Refund): RefundEntity {
  return {
    id: r.id,
    refundRequestId: r.refundRequestId,
    paymentId: r.paymentId,
    terminalId: r.terminalId,
    merchantId: r.merchantId,
    stan: r.stan,
    localDateTime: r.localDateTime,
    rrn: r.rrn,
    requestMti: r.requestMti,
    processingCode: r.processingCode,
    amountMinor: r.amountMinor,
    currencyNumeric: r.currencyNumeric,
    channel: r.channel,
    state: r.state,
    delivery: r.delivery,
    alipayRefundId: r.alipayRefundId ?? null,
    approvalCode: r.approvalCode ?? null,
    failureReason: r.failureReason ?? null,
    failureCode: r.failureCode ?? null,
    manualIntervention: r.manualIntervention ? 1 : 0,
    attempts: r.attempts,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    merchantDeadlineAt: r.merchantDeadlineAt,
    retryUntil: r.retryUntil,
    version: r.version,
  };
}

export function rowToRefund(r: RefundEntity): Refund {
  return {
    id: r.id,
    refundRequestId: r.refundRequestId,
    paymentId: r.paymentId,
    terminalId: r.terminalId,
    merchantId: r.merchantId,
    stan: r.stan,
    localDateTime: r.localDateTime,
    rrn: r.rrn,
    requestMti: r.requestMti,
    processingCode: r.processingCode,
    amountMinor: r.amountMinor,
    currencyNumeric: r.currencyNumeric,
    channel: r.channel as ChannelName,
    state: r.state as RefundState,
    delivery: r.delivery as DeliveryStatus,
    alipayRefundId: r.alipayRefundId ?? undefined,
    approvalCode: r.approvalCode ?? undefined,
    failureReason: (r.failureReason ?? undefined) as FailureReason | undefined,
    failureCode: r.failureCode ?? undefined,
    manualIntervention: Number(r.manualIntervention) === 1,
    attempts: r.attempts,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    merchantDeadlineAt: r.merchantDeadlineAt,
    retryUntil: r.retryUntil,
    version: r.version,
  };
}
