import type {
  NewPurchaseStored,
  OutboxMessage,
  PaymentEvent,
  PaymentRepository,
} from '../../payments/application/ports';
import { VersionConflictError } from '../../payments/domain/errors';
import type { Payment } from '../../payments/domain/payment';
import { selectRecord, selectRecords } from '../sql/select-records';
import { sql, type SqlSession } from '../sql/sql-session';
import { insertEvents, insertOutbox } from './event-rows';
import { PAYMENTS } from './record-tables';
import { RecentPayments } from './recent-payments';
import { translateDuplicates } from './translate-duplicates';

const RECENT_STAN_LIMIT = 20;

/** Payments the engine still drives (PaymentRepository.findUnfinished; the opposite of isFinal). */
const UNFINISHED =
  "(`state` IN ('RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED') OR (`state` = 'APPROVED' AND `delivery` <> 'delivered'))";

/**
 * 1 when no payment or refund of the terminal with the STAN has the same local time or is unfinished.
 * Stricter than matchStanUses (it looks past the recent uses that one sees), so "free" here is "new" there.
 */
const STAN_FREE = `SELECT NOT (
  EXISTS (SELECT 1 FROM \`payments\` WHERE \`terminal_id\` = ? AND \`stan\` = ? AND (\`local_date_time\` = ? OR ${UNFINISHED}))
  OR EXISTS (SELECT 1 FROM \`refunds\` WHERE \`terminal_id\` = ? AND \`stan\` = ?
    AND (\`local_date_time\` = ? OR \`state\` IN ('RECEIVED', 'PENDING'))))`;

/** Read after the purchase's commit: a reversal stored earlier is seen here, a later one finds the purchase. */
const REVERSAL_ON_FILE =
  'SELECT EXISTS (SELECT 1 FROM `early_reversals` WHERE `terminal_id` = ? AND `original_stan` = ?) AS `on_file`';

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

  async insertIfStanFree(payment: Payment, events: PaymentEvent[]): Promise<NewPurchaseStored> {
    const { terminalId, stan, localDateTime } = payment;
    const { written, rows } = await translateDuplicates(() =>
      this.session.writeIf<{ on_file: unknown }>({
        condition: sql(STAN_FREE, terminalId, stan, localDateTime, terminalId, stan, localDateTime),
        writes: [PAYMENTS.insert(payment), ...insertEvents(events)],
        thenRead: sql(REVERSAL_ON_FILE, terminalId, stan),
      }),
    );
    if (!written) return { stored: false };
    this.recent.remember(payment);
    return { stored: true, reversalOnFile: Number(rows[0]?.on_file) === 1 };
  }

  async update(
    payment: Payment,
    expectedVersion: number,
    events: PaymentEvent[],
    outbox: OutboxMessage[] = [],
    options: { unhurried?: boolean } = {},
  ): Promise<void> {
    try {
      await this.session.write({
        guarded: [versionedUpdate(payment, expectedVersion, this.recent)],
        writes: [...insertEvents(events), ...insertOutbox(outbox, payment.updatedAt)],
        ...(options.unhurried ? { unhurried: true } : {}),
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

  recentByPaymentRequestId(paymentRequestId: string): Payment | undefined {
    return this.recent.getByPaymentRequestId(paymentRequestId);
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
      `WHERE ${UNFINISHED} ORDER BY \`created_at\` ASC`,
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
