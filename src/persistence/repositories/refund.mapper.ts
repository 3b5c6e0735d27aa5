import { ChannelName, DeliveryStatus, FailureReason } from '../../payments/domain/payment';
import { Refund, RefundState } from '../../payments/domain/refund';
import { RefundEntity } from '../entities';
import { missingForNulls, nullsForMissing } from './nullable-columns';

const OPTIONAL = ['alipayRefundId', 'approvalCode', 'failureReason', 'failureCode'] as const;

export function refundToRow(refund: Refund): RefundEntity {
  return {
    ...refund,
    ...nullsForMissing(refund, OPTIONAL),
    manualIntervention: refund.manualIntervention ? 1 : 0,
  };
}

export function rowToRefund(row: RefundEntity): Refund {
  const optional = missingForNulls(row, OPTIONAL);
  return {
    ...row,
    ...optional,
    channel: row.channel as ChannelName,
    state: row.state as RefundState,
    delivery: row.delivery as DeliveryStatus,
    failureReason: optional.failureReason as FailureReason | undefined,
    manualIntervention: Number(row.manualIntervention) === 1,
  };
}
