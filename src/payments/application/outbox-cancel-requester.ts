/** The default CancelRequester: a CANCEL outbox message keyed by the paymentRequestId (consumers dedupe on it). */
import type { CancelReason, Payment } from '../domain/payment';
import type { CancelRequester } from './ports/cancel-requester.port';
import type { CancelOrder, OutboxMessage } from './ports/payment.repository.port';

export class OutboxCancelRequester implements CancelRequester {
  requestCancel(payment: Payment, reason: CancelReason, requestedAt: Date): OutboxMessage {
    const payload: CancelOrder = {
      paymentId: payment.id,
      paymentRequestId: payment.paymentRequestId,
      merchantId: payment.merchantId,
      terminalId: payment.terminalId,
      channel: payment.channel,
      amountMinor: payment.amountMinor,
      currencyNumeric: payment.currencyNumeric,
      reason,
      requestedAt: requestedAt.toISOString(),
    };
    if (payment.alipayTransactionId !== undefined) payload.alipayTransactionId = payment.alipayTransactionId;
    return { kind: 'CANCEL', key: payment.paymentRequestId, payload };
  }
}
