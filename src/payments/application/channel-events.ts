/**
 * What a channel's answer means for the state machines. Adapters never retry; the engine decides here
 * that "processing" and "unknown" mean "ask again", and that a missing order on inquiry means "not yet".
 */
import type { ChannelOutcome, FailureReason, WalletChannel } from '@switch/alipay';
import type { PaymentEventInput } from '../domain/payment-state';
import type { RefundEventInput } from '../domain/refund-state';

export function eventFromPay(outcome: ChannelOutcome, approvalCode: () => string): PaymentEventInput {
  switch (outcome.kind) {
    case 'success':
      return {
        type: 'alipay-approved',
        alipayTransactionId: outcome.alipayTransactionId,
        approvalCode: approvalCode(),
      };
    case 'failure':
      return { type: 'alipay-declined', reason: outcome.reason, code: outcome.code };
    case 'processing':
    case 'unknown':
      return { type: 'alipay-in-doubt' };
  }
}

/**
 * Refusals of the inquiry call itself (our request or our credentials, e.g. an ISV token just revoked):
 * they say nothing about the payment, which may well be paid.
 */
const INQUIRY_REFUSED: ReadonlySet<FailureReason> = new Set(['invalid-request', 'merchant-not-permitted']);

export function eventFromInquiry(outcome: ChannelOutcome, approvalCode: () => string): PaymentEventInput {
  // ORDER_NOT_EXIST right after a pay that timed out may only mean the pay has not landed yet; keep asking
  // until the gateway timeout, which cancels (a cancel of an unknown order is harmless). A refused inquiry
  // is no decline either: declining a payment Alipay took would leave the customer charged for a sale the
  // terminal was told failed.
  if (outcome.kind === 'failure' && (outcome.reason === 'not-found' || INQUIRY_REFUSED.has(outcome.reason)))
    return { type: 'alipay-in-doubt' };
  return eventFromPay(outcome, approvalCode);
}

export function eventFromRefund(outcome: ChannelOutcome, approvalCode: () => string): RefundEventInput {
  switch (outcome.kind) {
    case 'success':
      return {
        type: 'alipay-refunded',
        alipayRefundId: outcome.alipayTransactionId,
        approvalCode: approvalCode(),
      };
    case 'failure':
      return { type: 'alipay-refund-declined', reason: outcome.reason, code: outcome.code };
    case 'processing':
    case 'unknown':
      return { type: 'alipay-refund-in-doubt' };
  }
}

/** Adapters promise never to throw; this keeps a broken one from becoming an unhandled rejection or a decline. */
export async function callChannel(
  call: (channel: WalletChannel) => Promise<ChannelOutcome>,
  channel: WalletChannel,
): Promise<ChannelOutcome> {
  try {
    return await call(channel);
  } catch (err) {
    const name = err instanceof Error ? err.name : typeof err;
    return { kind: 'unknown', cause: 'status-unknown', detail: `channel ${channel.name} threw ${name}` };
  }
}
