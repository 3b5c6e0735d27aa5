import {
  CancelReason,
  ChannelName,
  DeliveryStatus,
  FailureReason,
  Payment,
  PaymentState,
} from '../../payments/domain/payment';
import { PaymentEntity } from '../entities';
import { missingForNulls, nullsForMissing } from './nullable-columns';

const OPTIONAL = [
  'alipayTransactionId',
  'approvalCode',
  'failureReason',
  'failureCode',
  'cancelReason',
] as const;

export function paymentToRow(payment: Payment): PaymentEntity {
  return {
    ...payment,
    ...nullsForMissing(payment, OPTIONAL),
    manualIntervention: payment.manualIntervention ? 1 : 0,
  };
}

export function rowToPayment(row: PaymentEntity): Payment {
  const optional = missingForNulls(row, OPTIONAL);
  return {
    ...row,
    ...optional,
    channel: row.channel as ChannelName,
    state: row.state as PaymentState,
    delivery: row.delivery as DeliveryStatus,
    failureReason: optional.failureReason as FailureReason | undefined,
    cancelReason: optional.cancelReason as CancelReason | undefined,
    manualIntervention: Number(row.manualIntervention) === 1,
  };
}
