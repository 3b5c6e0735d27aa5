/** The payments and refunds tables as the hot-path SQL sees them (the schema itself is in the migrations). */
import type { Payment } from '../../payments/domain/payment';
import type { Refund } from '../../payments/domain/refund';
import { RecordTable, type Columns } from '../sql/record-table';

type Shared = Payment & Refund;
type SharedKey =
  | 'id'
  | 'terminalId'
  | 'merchantId'
  | 'stan'
  | 'localDateTime'
  | 'rrn'
  | 'requestMti'
  | 'processingCode'
  | 'amountMinor'
  | 'currencyNumeric'
  | 'channel'
  | 'state'
  | 'delivery'
  | 'approvalCode'
  | 'failureReason'
  | 'failureCode'
  | 'manualIntervention'
  | 'createdAt'
  | 'updatedAt'
  | 'merchantDeadlineAt'
  | 'version';

/** What a purchase and a refund both are: one terminal request and where it stands. */
const TRANSACTION_COLUMNS: Columns<Pick<Shared, SharedKey>> = {
  id: ['id', 'text'],
  terminalId: ['terminal_id', 'text'],
  merchantId: ['merchant_id', 'text'],
  stan: ['stan', 'text'],
  localDateTime: ['local_date_time', 'text'],
  rrn: ['rrn', 'text'],
  requestMti: ['request_mti', 'text'],
  processingCode: ['processing_code', 'text'],
  amountMinor: ['amount_minor', 'number'],
  currencyNumeric: ['currency_numeric', 'text'],
  channel: ['channel', 'text'],
  state: ['state', 'text'],
  delivery: ['delivery', 'text'],
  approvalCode: ['approval_code', 'optional'],
  failureReason: ['failure_reason', 'optional'],
  failureCode: ['failure_code', 'optional'],
  manualIntervention: ['manual_intervention', 'flag'],
  createdAt: ['created_at', 'date'],
  updatedAt: ['updated_at', 'date'],
  merchantDeadlineAt: ['merchant_deadline_at', 'date'],
  version: ['version', 'number'],
};

export const PAYMENTS = new RecordTable<Payment>('payments', {
  ...TRANSACTION_COLUMNS,
  paymentRequestId: ['payment_request_id', 'text'],
  paymentCodeMasked: ['payment_code_masked', 'text'],
  paymentCodeHash: ['payment_code_hash', 'text'],
  alipayTransactionId: ['alipay_transaction_id', 'optional'],
  cancelReason: ['cancel_reason', 'optional'],
  refundedMinor: ['refunded_minor', 'number'],
  reservedRefundMinor: ['reserved_refund_minor', 'number'],
  gatewayDeadlineAt: ['gateway_deadline_at', 'date'],
});

export const REFUNDS = new RecordTable<Refund>('refunds', {
  ...TRANSACTION_COLUMNS,
  refundRequestId: ['refund_request_id', 'text'],
  paymentId: ['payment_id', 'text'],
  alipayRefundId: ['alipay_refund_id', 'optional'],
  attempts: ['attempts', 'number'],
  retryUntil: ['retry_until', 'date'],
});
