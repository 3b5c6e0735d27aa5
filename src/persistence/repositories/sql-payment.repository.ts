import type { OutboxMessage, PaymentEvent, PaymentRepository } from '../../payments/application/ports';
import { VersionConflictError } from '../../payments/domain/errors';
import type { Payment } from '../../payments/domain/payment';
import { selectRecord, selectRecords } from '../sql/select-records';
import type { SqlSession } from '../sql/sql-session';
import { insertEvents, insertOutbox } from './event-rows';
import { PAYMENTS } from './record-tables';
import { RecentPayments } from './recent-payments';
import { translateDuplicates } from './translate-duplicates';

const RECENT_STAN_LIMIT = 20;

export class SqlPaymentRepository implements PaymentRepository {
  constructor(
    private readonly session: SqlSession,
    private readonly recent = new RecentPayments(),
  ) {}

  async insert(payment: Payment, events: PaymentEvent[]): Promise<void> {
    await translateDuplicates(() =>
      this.session.write({ writes: [PAYMENTS.insert(payment), ...insertEvents(events)] }),
    );
    this.recent.remember(payment);
  }

  async update(
    payment: Payment,
    expectedVersion: number,
    events: PaymentEvent[],
    outbox: OutboxMessage[] = [],
  ): Promise<void> {
    try {
      await this.session.write({
        guarded: [versionedUpdate(payment, expectedVersion, this.recent)],
        writes: [...insertEvents(events), ...insertOutbox(outbox, payment.updatedAt)],
      });
    } catch (err) {
      this.recent.forget(payment.id);
      throw err;
    }
    this.recent.remember(payment);
  }

  async findById(id: string, options: { fresh?: boolean } = {}): Promise<Payment | undefined> {
    return (options.fresh ? undefined : this.recent.get(id)) ?? selectRecord(this.session, PAYMENTS, 'WHERE `id` = ?', id);
  }

  findByPaymentRequestId(paymentRequestId: string): Promise<Payment | undefined> {
    return selectRecord(this.session, PAYMENTS, 'WHERE `payment_request_id` = ?', paymentRequestId);
  }

  findByTerminalStan(terminalId: string, stan: string): Promise<Payment[]> {
    return selectRecords(
      this.session,
      PAYMENTS,
      'WHERE `terminal_id` = ? AND `stan` = ? ORDER BY `created_at` DESC LIMIT ?',
      terminalId,
      stan,
      RECENT_STAN_LIMIT,
    );
  }

  findByRrn(merchantId: string, rrn: string): Promise<Payment | undefined> {
    return selectRecord(this.session, PAYMENTS, 'WHERE `merchant_id` = ? AND `rrn` = ?', merchantId, rrn);
  }

  findUnfinished(): Promise<Payment[]> {
    return selectRecords(
      this.session,
      PAYMENTS,
      "WHERE `state` IN ('RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED') OR (`state` = 'APPROVED' AND `delivery` <> 'delivered') ORDER BY `created_at` ASC",
    );
  }
}

/**
 * The payment row written only where it is still at `expectedVersion`; when this process wrote that
 * version itself, only the columns that changed since.
 */
export function versionedUpdate(payment: Payment, expectedVersion: number, recent: RecentPayments) {
  return {
    statement: PAYMENTS.updateAtVersion(payment, expectedVersion, recent.peek(payment.id)),
    onMiss: () => new VersionConflictError('payment', payment.id, expectedVersion),
  };
}
