/**
 * The two clocks of a payment (seed 004, "gateway timeout must exceed merchant timeout"):
 * - merchant timeout (per terminal): the terminal stops waiting; nothing is sent to it afterwards.
 * - gateway timeout (switch-wide, longer): whatever has not ended as a delivered approval, a decline or a
 *   cancel by then is cancelled, so the customer is never charged for a sale the terminal did not see.
 */
import type { Payment } from './payment';

export const DEFAULT_MERCHANT_TIMEOUT_MS = 60_000;
export const DEFAULT_GATEWAY_TIMEOUT_MS = 75_000;

export function deadlineAfter(start: Date, timeoutMs: number): Date {
  return new Date(start.getTime() + timeoutMs);
}

/** True when the gateway timeout must cancel this payment. */
export function mustCancelAtGatewayTimeout(payment: Payment): boolean {
  switch (payment.state) {
    case 'RECEIVED':
    case 'AWAITING_ALIPAY':
      return true;
    case 'APPROVED':
      // 'pending': the approval was written, or about to be, and its delivery not yet recorded (or the
      // process died in between). It counts as delivered; the terminal that did not get it reverses it.
      return payment.delivery === 'undelivered';
    case 'DECLINED':
    case 'CANCEL_REQUESTED':
    case 'CANCELLED':
      return false;
  }
}

export function isPastGatewayDeadline(payment: Payment, now: Date): boolean {
  return now.getTime() >= payment.gatewayDeadlineAt.getTime();
}

/**
 * Whether an approval may be sent in a reply due by `replyDeadlineMs`: only if the transport will have
 * settled its delivery before the gateway timeout looks at it; otherwise the terminal could see 00 for a
 * payment the gateway timeout cancels.
 */
export function mayAnswerApproval(payment: Payment, replyDeadlineMs: number): boolean {
  return replyDeadlineMs < payment.gatewayDeadlineAt.getTime();
}
