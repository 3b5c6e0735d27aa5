/**
 * In-memory PaymentRepository and RefundRepository over one shared store, with the semantics the TypeORM
 * implementation must have: unique keys, optimistic versions, atomic writes of row + history + outbox
 * (+ the original payment for refunds), copies in and out. Every call yields once before it runs, so
 * concurrent service calls interleave the way they would against a database.
 */
import { DuplicateTransactionError, VersionConflictError, type UniqueKey } from '../domain/errors';
import { isFinal, type Payment } from '../domain/payment';
import { isRefundFinal, type Refund } from '../domain/refund';
import type {
  OutboxMessage,
  PaymentEvent,
  PaymentRepository,
} from '../application/ports/payment.repository.port';
import type { OriginalPaymentChange, RefundRepository } from '../application/ports/refund.repository.port';

export class InMemoryPaymentsDb {
  readonly paymentRows = new Map<string, Payment>();
  readonly refundRows = new Map<string, Refund>();
  readonly events: PaymentEvent[] = [];
  readonly outbox: OutboxMessage[] = [];
  /** Set to make the next write (insert or update) fail, e.g. to simulate the database going away. */
  failNextWrite?: Error;

  readonly payments: PaymentRepository = {
    insert: (payment, events) => this.run(() => this.insertPayment(payment, events)),
    insertIfStanFree: (payment, events) =>
      this.run(() => {
        if (!this.stanFree(payment)) return { stored: false };
        this.insertPayment(payment, events);
        // Early reversals live elsewhere: the caller always asks EarlyReversals.
        return { stored: true, reversalOnFile: true };
      }),
    update: (payment, expectedVersion, events, outbox) =>
      this.run(() => this.updatePayment(payment, expectedVersion, events, outbox ?? [])),
    findById: (id) => this.run(() => copy(this.paymentRows.get(id))),
    findByPaymentRequestId: (id) =>
      this.run(() => copy([...this.paymentRows.values()].find((p) => p.paymentRequestId === id))),
    findByTerminalStan: (terminalId, stan) =>
      this.run(() =>
        newestFirst(
          [...this.paymentRows.values()].filter((p) => p.terminalId === terminalId && p.stan === stan),
        ).map(clone),
      ),
    findByRrn: (merchantId, rrn) =>
      this.run(() =>
        copy([...this.paymentRows.values()].find((p) => p.merchantId === merchantId && p.rrn === rrn)),
      ),
    findUnfinished: () =>
      this.run(() =>
        [...this.paymentRows.values()]
          .filter(
            (p) =>
              p.state === 'RECEIVED' ||
              p.state === 'AWAITING_ALIPAY' ||
              p.state === 'CANCEL_REQUESTED' ||
              (p.state === 'APPROVED' && p.delivery !== 'delivered'),
          )
          .map(clone),
      ),
  };

  readonly refunds: RefundRepository = {
    insert: (refund, events, original) => this.run(() => this.insertRefund(refund, events, original)),
    update: (refund, expectedVersion, events, original) =>
      this.run(() => this.updateRefund(refund, expectedVersion, events, original)),
    findById: (id) => this.run(() => copy(this.refundRows.get(id))),
    findByRefundRequestId: (id) =>
      this.run(() => copy([...this.refundRows.values()].find((r) => r.refundRequestId === id))),
    findByTerminalStan: (terminalId, stan) =>
      this.run(() =>
        newestFirst(
          [...this.refundRows.values()].filter((r) => r.terminalId === terminalId && r.stan === stan),
        ).map(clone),
      ),
    findByRrn: (merchantId, rrn) =>
      this.run(() =>
        copy([...this.refundRows.values()].find((r) => r.merchantId === merchantId && r.rrn === rrn)),
      ),
    findUnfinished: () =>
      this.run(() =>
        [...this.refundRows.values()]
          .filter((r) => r.state === 'RECEIVED' || r.state === 'PENDING')
          .map(clone),
      ),
  };

  /** The stored row (a copy), for assertions. */
  payment(id: string): Payment | undefined {
    return copy(this.paymentRows.get(id));
  }

  refund(id: string): Refund | undefined {
    return copy(this.refundRows.get(id));
  }

  historyOf(paymentId: string): PaymentEvent[] {
    return this.events.filter((e) => e.paymentId === paymentId);
  }

  private async run<T>(operation: () => T): Promise<T> {
    await Promise.resolve();
    return operation();
  }

  /** The SQL store's rule: no use of the STAN at the same local time, and none unfinished. */
  private stanFree(payment: Payment): boolean {
    const sameStan = (t: { terminalId: string; stan: string }) =>
      t.terminalId === payment.terminalId && t.stan === payment.stan;
    const payments = [...this.paymentRows.values()].filter(sameStan);
    const refunds = [...this.refundRows.values()].filter(sameStan);
    return (
      !payments.some((p) => p.localDateTime === payment.localDateTime || !isFinal(p)) &&
      !refunds.some((r) => r.localDateTime === payment.localDateTime || !isRefundFinal(r))
    );
  }

  private takeFailure(): void {
    const failure = this.failNextWrite;
    if (failure) {
      this.failNextWrite = undefined;
      throw failure;
    }
  }

  private insertPayment(payment: Payment, events: PaymentEvent[]): void {
    this.takeFailure();
    requireVersion(payment.version, 1, 'payment');
    for (const p of this.paymentRows.values()) {
      if (
        p.terminalId === payment.terminalId &&
        p.stan === payment.stan &&
        p.localDateTime === payment.localDateTime
      )
        duplicate('terminal-stan-datetime');
      if (p.rrn === payment.rrn) duplicate('rrn');
      if (p.paymentRequestId === payment.paymentRequestId) duplicate('request-id');
    }
    this.paymentRows.set(payment.id, clone(payment));
    this.events.push(...events.map(clone));
  }

  private updatePayment(
    payment: Payment,
    expectedVersion: number,
    events: PaymentEvent[],
    outbox: OutboxMessage[],
  ): void {
    this.takeFailure();
    this.checkPaymentVersion(payment, expectedVersion);
    this.paymentRows.set(payment.id, clone(payment));
    this.events.push(...events.map(clone));
    this.outbox.push(...outbox.map(clone));
  }

  private insertRefund(refund: Refund, events: PaymentEvent[], original: OriginalPaymentChange): void {
    this.takeFailure();
    requireVersion(refund.version, 1, 'refund');
    for (const r of this.refundRows.values()) {
      if (
        r.terminalId === refund.terminalId &&
        r.stan === refund.stan &&
        r.localDateTime === refund.localDateTime
      )
        duplicate('terminal-stan-datetime');
      if (r.rrn === refund.rrn) duplicate('rrn');
      if (r.refundRequestId === refund.refundRequestId) duplicate('request-id');
    }
    this.checkPaymentVersion(original.payment, original.expectedVersion);
    this.refundRows.set(refund.id, clone(refund));
    this.paymentRows.set(original.payment.id, clone(original.payment));
    this.events.push(...events.map(clone));
  }

  private updateRefund(
    refund: Refund,
    expectedVersion: number,
    events: PaymentEvent[],
    original?: OriginalPaymentChange,
  ): void {
    this.takeFailure();
    const stored = this.refundRows.get(refund.id);
    if (!stored || stored.version !== expectedVersion)
      throw new VersionConflictError('refund', refund.id, expectedVersion);
    requireVersion(refund.version, expectedVersion + 1, 'refund');
    if (original) this.checkPaymentVersion(original.payment, original.expectedVersion);
    this.refundRows.set(refund.id, clone(refund));
    if (original) this.paymentRows.set(original.payment.id, clone(original.payment));
    this.events.push(...events.map(clone));
  }

  private checkPaymentVersion(payment: Payment, expectedVersion: number): void {
    const stored = this.paymentRows.get(payment.id);
    if (!stored || stored.version !== expectedVersion)
      throw new VersionConflictError('payment', payment.id, expectedVersion);
    requireVersion(payment.version, expectedVersion + 1, 'payment');
  }
}

function duplicate(key: UniqueKey): never {
  throw new DuplicateTransactionError(key);
}

// A strict fake: a caller that forgets to bump the version has a bug the real database would hide.
function requireVersion(actual: number, expected: number, entity: string): void {
  if (actual !== expected) throw new Error(`${entity} written with version ${actual}, expected ${expected}`);
}

function newestFirst<T extends { createdAt: Date }>(items: T[]): T[] {
  return items.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

// Not structuredClone: under Jest it returns Dates of another realm (instanceof Date fails).
function clone<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = clone(inner);
    return out as T;
  }
  return value;
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : clone(value);
}
