/**
 * The one way a cancel is asked for. It builds the outbox message; the payments service stores it in the
 * same repository update that moves the payment to CANCEL_REQUESTED, so the decision and the order to carry
 * it out are durable together. Pure: no I/O.
 */
import type { CancelReason, Payment } from '../../domain/payment';
import type { OutboxMessage } from './payment.repository.port';

export interface CancelRequester {
  requestCancel(payment: Payment, reason: CancelReason, requestedAt: Date): OutboxMessage;
}
