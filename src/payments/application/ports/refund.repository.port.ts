/**
 * Durable storage of refunds. A refund's amount is reserved on (and later released from or settled into)
 * its original payment in the same database transaction as the refund row, so the two never disagree.
 *
 * Semantics: as PaymentRepository. Unique keys: (terminalId, stan, localDateTime), rrn, refundRequestId.
 * When `original` is given, the payment row is written under its own version check in the same
 * transaction; if either version check fails, nothing is written and VersionConflictError is thrown.
 */
import type { Payment } from '../../domain/payment';
import type { Refund } from '../../domain/refund';
import type { PaymentEvent } from './payment.repository.port';

/** A change to the refund's original payment, written atomically with the refund. */
export interface OriginalPaymentChange {
  payment: Payment; // version = expectedVersion + 1
  expectedVersion: number;
}

export interface RefundRepository {
  /** Stores the refund at version 1 and the original's reservation. @throws DuplicateTransactionError, VersionConflictError */
  insert(refund: Refund, events: PaymentEvent[], original: OriginalPaymentChange): Promise<void>;
  /** @throws VersionConflictError */
  update(
    refund: Refund,
    expectedVersion: number,
    events: PaymentEvent[],
    original?: OriginalPaymentChange,
  ): Promise<void>;
  findById(id: string): Promise<Refund | undefined>;
  findByRefundRequestId(refundRequestId: string): Promise<Refund | undefined>;
  /** Newest first. */
  findByTerminalStan(terminalId: string, stan: string): Promise<Refund[]>;
  findByRrn(merchantId: string, rrn: string): Promise<Refund | undefined>;
  /** Refunds in RECEIVED or PENDING. */
  findUnfinished(): Promise<Refund[]>;
}
