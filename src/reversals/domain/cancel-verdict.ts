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
  /**
   * Alipay answered "closed", a family of generic status errors as well as a closed trade: only an
   * inquiry of the payment's own status may confirm the cancel (see judgeStatusAfterCancel).
   */
  | { readonly kind: 'verify'; readonly detail: string }
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
        // ACQ.TRADE_STATUS_ERROR, ACQ.REASON_TRADE_STATUS_INVALID and MAPI TRADE_STATUS_ERROR map here
        // too: they say the trade is in some state the call does not fit, not that nothing was taken.
        case 'closed':
          return { kind: 'verify', detail: `cancel answered closed (${outcome.code})` };
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

/**
 * The payment's status, inquired after a cancel answered "closed" or "no such payment": only a status that
 * shows no money taken confirms the cancel. `absentIsFinal` is false while the pay may still be on its way.
 */
export function judgeStatusAfterCancel(outcome: ChannelOutcome, absentIsFinal: boolean): CancelVerdict {
  switch (outcome.kind) {
    case 'success':
      return { kind: 'retry', detail: 'Alipay reports the payment paid: cancel again' };
    case 'processing':
      return { kind: 'retry', detail: 'Alipay reports the payment still processing' };
    case 'unknown':
      return { kind: 'retry', detail: `status inquiry ${outcome.cause}` };
    case 'failure':
      switch (outcome.reason) {
        case 'closed':
          return { kind: 'confirmed', detail: `payment closed at Alipay (inquiry: ${outcome.code})` };
        case 'not-found':
          return absentIsFinal
            ? { kind: 'confirmed', detail: 'Alipay has no such payment: nothing to cancel' }
            : { kind: 'retry', detail: 'Alipay does not know the payment yet (its pay may still be on the way)' };
        // The payment itself failed: nothing was taken.
        case 'insufficient-balance':
        case 'invalid-code':
        case 'expired-code':
        case 'user-verification-failed':
        case 'risk-rejected':
        case 'amount-limit':
        case 'count-limit':
        case 'declined':
          return { kind: 'confirmed', detail: `payment failed at Alipay (inquiry: ${outcome.code})` };
        // No status in the answer: ask again; the policy hands it to people if it never comes.
        case 'merchant-not-permitted':
        case 'invalid-request':
        case 'duplicate-inconsistent':
        case 'currency-not-supported':
        case 'cancel-window-exceeded':
        case 'refund-window-exceeded':
        case 'refund-amount-exceeded':
          return { kind: 'retry', detail: `status inquiry gave no status: ${outcome.reason} (${outcome.code})` };
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
