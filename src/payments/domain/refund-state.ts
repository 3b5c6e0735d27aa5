/**
 * The refund state machine. An unknown outcome is retried with the same refundRequestId (refunds are
 * idempotent by it); the reservation on the original is settled on success and released on failure.
 */
import type { FailureReason } from './payment';
import type { Refund, RefundState } from './refund';

export type RefundEventInput =
  | { type: 'alipay-refunded'; alipayRefundId?: string; approvalCode: string }
  | { type: 'alipay-refund-declined'; reason: FailureReason; code: string }
  | { type: 'alipay-refund-in-doubt' }
  | { type: 'approval-delivery'; delivered: boolean }
  /** The retry window ran out without a definite answer: people must act; the reservation stays. */
  | { type: 'retries-exhausted' };

/** What must happen to the original's ledger together with the refund row. */
export type LedgerEffect = 'settle' | 'release' | 'none';

export type RefundTransitionResult =
  | { kind: 'changed'; refund: Refund; ledger: LedgerEffect }
  | { kind: 'ignored'; note: string }
  | { kind: 'rejected'; note: string };

export function refundTransition(refund: Refund, event: RefundEventInput, at: Date): RefundTransitionResult {
  switch (refund.state) {
    case 'RECEIVED':
    case 'PENDING':
      return fromOpen(refund, event, at);
    case 'SUCCEEDED':
      return fromSucceeded(refund, event, at);
    case 'FAILED':
      return { kind: 'ignored', note: `${event.type} after the refund failed` };
  }
}

function fromOpen(refund: Refund, event: RefundEventInput, at: Date): RefundTransitionResult {
  switch (event.type) {
    // Each of these answers one refund call: count it.
    case 'alipay-refunded':
      return changed(refund, at, 'SUCCEEDED', 'settle', {
        alipayRefundId: event.alipayRefundId ?? refund.alipayRefundId,
        approvalCode: event.approvalCode,
        manualIntervention: false,
        attempts: refund.attempts + 1,
      });
    case 'alipay-refund-declined':
      return changed(refund, at, 'FAILED', 'release', {
        failureReason: event.reason,
        failureCode: event.code,
        attempts: refund.attempts + 1,
      });
    case 'alipay-refund-in-doubt':
      return changed(refund, at, 'PENDING', 'none', { attempts: refund.attempts + 1 });
    case 'approval-delivery':
      return { kind: 'rejected', note: `approval-delivery is not possible in state ${refund.state}` };
    case 'retries-exhausted':
      return refund.manualIntervention
        ? { kind: 'ignored', note: 'already flagged for manual intervention' }
        : changed(refund, at, 'PENDING', 'none', { manualIntervention: true });
  }
}

function fromSucceeded(refund: Refund, event: RefundEventInput, at: Date): RefundTransitionResult {
  switch (event.type) {
    case 'approval-delivery':
      if (event.delivered) {
        return refund.delivery === 'delivered'
          ? { kind: 'ignored', note: 'approval already delivered' }
          : changed(refund, at, 'SUCCEEDED', 'none', { delivery: 'delivered' });
      }
      return refund.delivery === 'pending'
        ? changed(refund, at, 'SUCCEEDED', 'none', { delivery: 'undelivered' })
        : { kind: 'ignored', note: `approval delivery failed; delivery stays ${refund.delivery}` };
    case 'alipay-refunded':
    case 'alipay-refund-declined':
    case 'alipay-refund-in-doubt':
    case 'retries-exhausted':
      return { kind: 'ignored', note: `${event.type} after the refund succeeded` };
  }
}

type Changes = Partial<
  Pick<
    Refund,
    | 'alipayRefundId'
    | 'approvalCode'
    | 'failureReason'
    | 'failureCode'
    | 'delivery'
    | 'manualIntervention'
    | 'attempts'
  >
>;

function changed(
  refund: Refund,
  at: Date,
  state: RefundState,
  ledger: LedgerEffect,
  changes: Changes,
): RefundTransitionResult {
  return { kind: 'changed', refund: { ...refund, ...changes, state, updatedAt: at }, ledger };
}
