import type { OriginalPaymentChange, PaymentEvent, RefundRepository } from '../../payments/application/ports';
import { VersionConflictError } from '../../payments/domain/errors';
import type { Refund } from '../../payments/domain/refund';
import { selectRecord, selectRecords } from '../sql/select-records';
import type { GuardedStatement, SqlSession, WritePlan } from '../sql/sql-session';
import { insertEvents } from './event-rows';
import { RecentPayments } from './recent-payments';
import { REFUNDS } from './record-tables';
import { versionedUpdate } from './sql-payment.repository';
import { translateDuplicates } from './translate-duplicates';

/** Shares `recent` with the payment repository: a refund's reservation is a write to its payment. */
export class SqlRefundRepository implements RefundRepository {
  constructor(
    private readonly session: SqlSession,
    private readonly recent = new RecentPayments(),
  ) {}

  insert(refund: Refund, events: PaymentEvent[], original: OriginalPaymentChange): Promise<void> {
    // The reservation on the original is the guard: a concurrent refund that lost the race fails there.
    return this.write(
      {
        guarded: [versionedUpdate(original.payment, original.expectedVersion, this.recent)],
        writes: [REFUNDS.insert(refund), ...insertEvents(events)],
      },
      original,
    );
  }

  update(
    refund: Refund,
    expectedVersion: number,
    events: PaymentEvent[],
    original?: OriginalPaymentChange,
  ): Promise<void> {
    const guarded: GuardedStatement[] = [
      {
        statement: REFUNDS.updateAtVersion(refund, expectedVersion),
        onMiss: () => new VersionConflictError('refund', refund.id, expectedVersion),
      },
    ];
    if (original) guarded.push(versionedUpdate(original.payment, original.expectedVersion, this.recent));
    return this.write({ guarded, writes: insertEvents(events) }, original);
  }

  findById(id: string): Promise<Refund | undefined> {
    return selectRecord(this.session, REFUNDS, 'WHERE `id` = ?', id);
  }

  findByRefundRequestId(refundRequestId: string): Promise<Refund | undefined> {
    return selectRecord(this.session, REFUNDS, 'WHERE `refund_request_id` = ?', refundRequestId);
  }

  findByTerminalStan(terminalId: string, stan: string): Promise<Refund[]> {
    return selectRecords(
      this.session,
      REFUNDS,
      'WHERE `terminal_id` = ? AND `stan` = ? ORDER BY `created_at` DESC LIMIT 20',
      terminalId,
      stan,
    );
  }

  findByRrn(merchantId: string, rrn: string): Promise<Refund | undefined> {
    return selectRecord(this.session, REFUNDS, 'WHERE `merchant_id` = ? AND `rrn` = ?', merchantId, rrn);
  }

  findUnfinished(): Promise<Refund[]> {
    return selectRecords(this.session, REFUNDS, "WHERE `state` IN ('RECEIVED', 'PENDING')");
  }

  private async write(plan: WritePlan, original: OriginalPaymentChange | undefined): Promise<void> {
    try {
      await translateDuplicates(() => this.session.write(plan));
    } catch (err) {
      if (original) this.recent.forget(original.payment.id);
      throw err;
    }
    if (original) this.recent.remember(original.payment);
  }
}
