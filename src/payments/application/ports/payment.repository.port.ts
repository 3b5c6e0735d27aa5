/**
 * Durable storage of payments, their event history and the cancel outbox. Implemented with TypeORM by
 * src/persistence and in memory by src/payments/testing.
 *
 * Semantics every implementation must keep:
 * - insert stores a payment at version 1; unique keys: (terminalId, stan, localDateTime), rrn,
 *   paymentRequestId; a collision throws DuplicateTransactionError naming the key.
 * - update writes `payment` (whose `version` is expectedVersion + 1) only where the stored version equals
 *   expectedVersion, and in the same database transaction appends `events` and `outbox`; a stale version
 *   throws VersionConflictError and writes nothing.
 * - finders return copies: mutating a returned object never changes the store.
 */
import type { Payment } from '../../domain/payment';
import type { OutboxMessage } from '../cancel-order';

export type { CancelOrder, OutboxMessage } from '../cancel-order';

/** What insertIfStanFree did. */
export type NewPurchaseStored =
  /** Stored. `reversalOnFile`: a reversal naming this terminal and STAN was on file after the commit. */
  | { stored: true; reversalOnFile: boolean }
  /** Not stored: the terminal's STAN may be in use (see insertIfStanFree). */
  | { stored: false };

export interface PaymentRepository {
  /** @throws DuplicateTransactionError */
  insert(payment: Payment, events: PaymentEvent[]): Promise<void>;
  /**
   * The usual new purchase in one step: stored, as insert does, unless the terminal has a payment or
   * refund with the same STAN that has the same local date and time or is unfinished (a retransmission or
   * a STAN still in use: the caller then judges with findByTerminalStan, which may still find it new).
   * Then, after the commit, whether any early reversal names this terminal and STAN, so the caller asks
   * EarlyReversals only when one does. Implementations may answer `reversalOnFile: true` whenever
   * they cannot tell.
   * @throws DuplicateTransactionError
   */
  insertIfStanFree(payment: Payment, events: PaymentEvent[]): Promise<NewPurchaseStored>;
  /**
   * `unhurried`: nobody waits on this write; the store may hold it a few milliseconds to send it with
   * others (the result, conflict included, is reported all the same).
   * @throws VersionConflictError
   */
  update(
    payment: Payment,
    expectedVersion: number,
    events: PaymentEvent[],
    outbox?: OutboxMessage[],
    options?: { unhurried?: boolean },
  ): Promise<void>;
  /**
   * `fresh`: straight from the store, past any copy an implementation keeps of what it wrote (another
   * instance may have written since).
   */
  findById(id: string, options?: { fresh?: boolean }): Promise<Payment | undefined>;
  findByPaymentRequestId(paymentRequestId: string): Promise<Payment | undefined>;
  /**
   * The copy of the payment this process wrote last, if the implementation keeps one (see findById's
   * `fresh`): no store is asked, so it may be behind what another instance wrote since.
   */
  recentByPaymentRequestId?(paymentRequestId: string): Payment | undefined;
  /** Payments of this terminal with this STAN, newest (createdAt) first; implementations may limit to recent days. */
  findByTerminalStan(terminalId: string, stan: string): Promise<Payment[]>;
  findByRrn(merchantId: string, rrn: string): Promise<Payment | undefined>;
  /**
   * Payments still needing the engine: state IN ('RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED')
   * OR (state = 'APPROVED' AND delivery <> 'delivered').
   */
  findUnfinished(): Promise<Payment[]>;
}

export type PaymentEventType = 'STATE_CHANGED' | 'ALIPAY_CALL' | 'NOTE';

/** One line of a payment's history: a state change, an Alipay call, or a note (e.g. a success after cancel). */
export interface PaymentEvent {
  paymentId: string;
  /** Set when the event belongs to a refund of the payment. */
  refundId?: string;
  at: Date;
  type: PaymentEventType;
  fromState?: string;
  toState?: string;
  /** Alipay API called, e.g. 'pay', 'inquire', 'refund' (the channel's own name goes in detail). */
  api?: string;
  /** paymentRequestId or refundRequestId sent. */
  requestId?: string;
  latencyMs?: number;
  /** Outcome kind: 'success' | 'failure' | 'processing' | 'unknown', or a delivery/notification note. */
  outcome?: string;
  /** The channel's result code, or the unknown cause. */
  code?: string;
  /** Free text, never a payment code, key or token. */
  detail?: string;
}
