import type { CancelReason, Payment } from '../../domain/payment';

/**
 * Told once per cancel decision, after the decision and its cancel order are committed (a version-conflict
 * retry of the same decision is not a second one). Metrics count cancels by reason through it.
 */
export interface CancelDecisions {
  decided(payment: Payment, reason: CancelReason): void;
}
