/**
 * What Alipay's answer to a cancel (or to the refund that replaces it past the cancel window) means for
 * the cancel order. Pure: the worker decides what to store and whether to try again from this.
 */
import type { ChannelOutcome } from '@switch/alipay';

export type CancelVerdict =
  /**
   * Alipay confirms nothing is (or stays) taken: cancelled, closed, refunded by the cancel or in full.
   * `detail` says how when it was not a plain cancel (the history's state change says the rest).
   */
  | { readonly kind: 'confirmed'; readonly detail?: string }
  /** Too late to cancel: refund the whole payment instead (seed 004). */
  | { readonly kind: 'refund-instead' }
  /** Alipay has no such payment: nothing to undo, unless the pay is still on its way (see the worker). */
  | { readonly kind: 'absent' }
  /** No definite answer: send the same request again later. */
  | { readonly kind: 'retry'; readonly detail: string }
  /** A definite refusal that trying again cannot change: people must look at it. */
  | { readonly kind: 'hopeless'; readonly detail: string };

export function judgeCancel(outcome: ChannelOutcome): CancelVerdict {
  switch (outcome.kind) {
    case 'success':
      return { kind: 'confirmed' };
    case 'processing':
      return { kind: 'retry', detail: 'cancel answered "processing"' };
    case 'unknown':
      return { kind: 'retry', detail: `cancel ${outcome.cause}` };
    case 'failure':
      switch (outcome.reason) {
        case 'cancel-window-exceeded':
          return { kind: 'refund-instead' };
        case 'not-found':
          return { kind: 'absent' };
        // The payment is closed: it failed or was cancelled already, so nothing was taken.
        case 'closed':
          return { kind: 'confirmed', detail: `payment already closed (${outcome.code})` };
        // Definite refusals no retry changes: credentials, merchant, request, or a code Alipay gave no
        // meaning for a cancel. People look at them.
        case 'merchant-not-permitted':
        case 'invalid-request':
        case 'duplicate-inconsistent':
        case 'currency-not-supported':
        case 'refund-window-exceeded':
        case 'refund-amount-exceeded':
        case 'insufficient-balance':
        case 'invalid-code':
        case 'expired-code':
        case 'user-verification-failed':
        case 'risk-rejected':
        case 'amount-limit':
        case 'count-limit':
        case 'declined':
          return { kind: 'hopeless', detail: `cancel refused: ${outcome.reason} (${outcome.code})` };
      }
  }
}

export function judgeRefund(outcome: ChannelOutcome): CancelVerdict {
  switch (outcome.kind) {
    case 'success':
      return { kind: 'confirmed', detail: 'past the cancel window: refunded in full' };
    case 'processing':
      return { kind: 'retry', detail: 'refund answered "processing"' };
    case 'unknown':
      return { kind: 'retry', detail: `refund ${outcome.cause}` };
    case 'failure':
      return { kind: 'hopeless', detail: `refund refused: ${outcome.reason} (${outcome.code})` };
  }
}

/**
 * The refundRequestId of the full refund that replaces a cancel: derived from the paymentRequestId, so
 * every retry and every worker sends the same one and Alipay refunds at most once. The `C` keeps it apart
 * from terminal refunds (`RF...`).
 */
export function cancelRefundRequestId(paymentRequestId: string): string {
  return `C${paymentRequestId}`.slice(0, 64);
}
