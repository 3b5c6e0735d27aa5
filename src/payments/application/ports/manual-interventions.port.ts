/**
 * The manual-intervention list: cancels and refunds the switch could not get Alipay to confirm, for ops to act on
 * (the admin API shows it). Nothing that leaves the retry path is dropped in silence: it lands here.
 */
export type ManualInterventionReason =
  /** The retry policy ran out without a definite answer. */
  | 'retries-exhausted'
  /** Alipay refused the cancel (or the refund that replaces it) for good. */
  | 'alipay-refused'
  /** The message cannot be read, or names no payment or merchant the switch knows. */
  | 'unprocessable'
  /** It reached the dead-letter topic by a path that did not record it (found by the dead-letter recorder). */
  | 'dead-letter'
  /** Reconciliation found a difference people must settle (both sides' figures in the detail). */
  | 'reconciliation'
  /**
   * A terminal refund whose outcome stayed unknown through its retry window (its amount stays reserved).
   * The entry's paymentRequestId is the refund's refundRequestId, so it never hides the payment's cancel.
   */
  | 'refund-unconfirmed';

export interface ManualInterventionRequest {
  readonly paymentId?: string;
  readonly paymentRequestId: string;
  readonly reason: ManualInterventionReason;
  /** Free text for ops; never a payment code, key or token. */
  readonly detail: string;
  readonly at: Date;
}

export interface ManualIntervention extends ManualInterventionRequest {
  readonly id: string;
  readonly resolvedAt?: Date;
}

export interface ManualInterventions {
  /** Opens an entry unless one is open for this paymentRequestId already (so repeats add nothing). */
  open(request: ManualInterventionRequest): Promise<void>;
  listOpen(): Promise<ManualIntervention[]>;
  resolve(id: string, at: Date): Promise<void>;
}
