import { DataSource } from 'typeorm';
import { describeRepositoryContract } from '../../../src/payments/testing';
import { aPayment } from '../../../src/payments/testing/fixtures';
import { VersionConflictError } from '../../../src/payments/domain/errors';
import { CancelOrder, PaymentEvent } from '../../../src/payments/application/ports';
import { openDatabase } from '../../../src/persistence/data-source';
import {
  OutboxMessageEntity,
  PaymentEntity,
  PaymentEventEntity,
  RefundEntity,
} from '../../../src/persistence/entities';
import { RecentPayments } from '../../../src/persistence/repositories/recent-payments';
import { SqlPaymentRepository } from '../../../src/persistence/repositories/sql-payment.repository';
import { SqlRefundRepository } from '../../../src/persistence/repositories/sql-refund.repository';
import { openSqlSession } from '../../../src/persistence/sql';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { DATABASE_KINDS, TestDatabase } from '../../support/databases';

describe.each(DATABASE_KINDS)('SQL repositories on %s', (name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await create();
    dataSource = await openDatabase(db.config);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  describeRepositoryContract(`sql/${name}`, async () => {
    for (const entity of [PaymentEventEntity, OutboxMessageEntity, RefundEntity, PaymentEntity]) {
      await dataSource.getRepository(entity).clear();
    }
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const recent = new RecentPayments();
    return {
      payments: new SqlPaymentRepository(session, recent),
      refunds: new SqlRefundRepository(session, recent),
      readEvents: async (paymentId: string): Promise<PaymentEvent[]> => {
        const rows = await dataSource
          .getRepository(PaymentEventEntity)
          .find({ where: { paymentId }, order: { id: 'ASC' } });
        return rows.map((r) => ({
          paymentId: r.paymentId,
          refundId: r.refundId ?? undefined,
          at: r.at,
          type: r.type as PaymentEvent['type'],
          fromState: r.fromState ?? undefined,
          toState: r.toState ?? undefined,
          api: r.api ?? undefined,
          requestId: r.requestId ?? undefined,
          latencyMs: r.latencyMs ?? undefined,
          outcome: r.outcome ?? undefined,
          code: r.code ?? undefined,
          detail: r.detail ?? undefined,
        }));
      },
      readOutbox: async () => {
        const rows = await dataSource.getRepository(OutboxMessageEntity).find({ order: { id: 'ASC' } });
        return rows.map((r) => ({
          kind: 'CANCEL' as const,
          key: r.messageKey,
          payload: JSON.parse(r.payload) as CancelOrder,
        }));
      },
    };
  });

  it('writes only the columns that changed since the version it wrote, and the row reads back whole', async () => {
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const payments = new SqlPaymentRepository(session, new RecentPayments());
    const first = aPayment({
      id: 'diff-1',
      paymentRequestId: 'DIFF-1',
      rrn: 'DIFF00000001',
      stan: '434343',
      failureCode: 'TO-BE-CLEARED',
    });
    await payments.insert(first, []);
    const approved = {
      ...first,
      state: 'APPROVED' as const,
      approvalCode: '123456',
      alipayTransactionId: 'ALI-DIFF',
      failureCode: undefined,
      updatedAt: new Date('2025-01-15T10:00:02.345Z'),
      version: 2,
    };
    await payments.update(approved, 1, []);
    const delivered = { ...approved, delivery: 'delivered' as const, version: 3 };
    await payments.update(delivered, 2, []);
    // Read through another query than by id, which would answer from memory.
    expect(await payments.findByPaymentRequestId('DIFF-1')).toEqual(delivered);
  });

  it('reads back the payments it just wrote without a query, yet a change made elsewhere wins over them', async () => {
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const ours = new SqlPaymentRepository(session, new RecentPayments());
    const theirs = new SqlPaymentRepository(session, new RecentPayments());
    const payment = aPayment({
      id: 'recent-1',
      paymentRequestId: 'RECENT-1',
      rrn: 'RECENT000001',
      stan: '424242',
    });
    await ours.insert(payment, []);

    // Another process (here: a repository with its own memory) moves the payment on.
    const atTheirs = (await theirs.findById('recent-1'))!;
    await theirs.update({ ...atTheirs, state: 'DECLINED', version: 2 }, 1, []);

    // Ours still remembers version 1, so its write at version 1 is refused...
    const remembered = (await ours.findById('recent-1'))!;
    expect(remembered.version).toBe(1);
    const stale = await ours
      .update({ ...remembered, state: 'APPROVED', version: 2 }, 1, [])
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(VersionConflictError);
    // ...and the next read goes to the database.
    expect(await ours.findById('recent-1')).toMatchObject({ state: 'DECLINED', version: 2 });
  });

  it('sends unhurried updates together, each under its own guard: a stale one fails alone, the others commit', async () => {
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const payments = new SqlPaymentRepository(session, new RecentPayments());
    const rows = [1, 2, 3].map((n) =>
      aPayment({ id: `calm-${n}`, paymentRequestId: `CALM-${n}`, rrn: `CALM0000000${n}`, stan: `52525${n}` }),
    );
    for (const row of rows) await payments.insert(row, []);
    const note = (paymentId: string): PaymentEvent => ({ paymentId, at: new Date(), type: 'NOTE', detail: 'delivered' });
    const delivered = (p: (typeof rows)[number]) => ({ ...p, delivery: 'delivered' as const, version: 2 });
    const results = await Promise.allSettled([
      payments.update(delivered(rows[0]), 1, [note('calm-1')], [], { unhurried: true }),
      payments.update(delivered(rows[1]), 7, [note('calm-2')], [], { unhurried: true }),
      payments.update(delivered(rows[2]), 1, [note('calm-3')], [], { unhurried: true }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    const fresh = new SqlPaymentRepository(session, new RecentPayments());
    expect(await fresh.findById('calm-1')).toMatchObject({ delivery: 'delivered', version: 2 });
    expect(await fresh.findById('calm-2')).toMatchObject({ delivery: 'pending', version: 1 });
    expect(await fresh.findById('calm-3')).toMatchObject({ delivery: 'delivered', version: 2 });
    const events = await dataSource.getRepository(PaymentEventEntity).find({ where: { detail: 'delivered' } });
    expect(events.map((e) => e.paymentId).sort()).toEqual(['calm-1', 'calm-3']);
  });

  it('writes unhurried updates once each when one statement of their shared trip fails: only the bad one fails', async () => {
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const payments = new SqlPaymentRepository(session, new RecentPayments());
    const rows = [1, 2, 3].map((n) =>
      aPayment({ id: `trip-${n}`, paymentRequestId: `TRIP-${n}`, rrn: `TRIP0000000${n}`, stan: `53535${n}` }),
    );
    for (const row of rows) await payments.insert(row, []);
    const note = (paymentId: string): PaymentEvent => ({ paymentId, at: new Date(), type: 'NOTE', detail: 'trip' });
    // A history line without a type breaks its statement (NOT NULL), and with it the trip it travels in.
    const broken: PaymentEvent = { ...note('trip-2'), type: null as unknown as PaymentEvent['type'] };
    const delivered = (p: (typeof rows)[number]) => ({ ...p, delivery: 'delivered' as const, version: 2 });
    const results = await Promise.allSettled([
      payments.update(delivered(rows[0]), 1, [note('trip-1')], [], { unhurried: true }),
      payments.update(delivered(rows[1]), 1, [broken], [], { unhurried: true }),
      payments.update(delivered(rows[2]), 1, [note('trip-3')], [], { unhurried: true }),
    ]);
    // Before the trip was one transaction, the first plan committed before the failure, and sent again on
    // its own it missed its version guard: a write that had happened was reported as a conflict.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).not.toBeInstanceOf(VersionConflictError);
    const fresh = new SqlPaymentRepository(session, new RecentPayments());
    expect(await fresh.findById('trip-1')).toMatchObject({ delivery: 'delivered', version: 2 });
    expect(await fresh.findById('trip-2')).toMatchObject({ delivery: 'pending', version: 1 });
    expect(await fresh.findById('trip-3')).toMatchObject({ delivery: 'delivered', version: 2 });
    const events = await dataSource.getRepository(PaymentEventEntity).find({ where: { detail: 'trip' } });
    expect(events.map((e) => e.paymentId).sort()).toEqual(['trip-1', 'trip-3']);
  });

  it('finds a payment it wrote by its paymentRequestId without a query, and forgets it with the payment', async () => {
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const recent = new RecentPayments(2);
    const ours = new SqlPaymentRepository(session, recent);
    const made = [1, 2, 3].map((n) =>
      aPayment({ id: `known-${n}`, paymentRequestId: `KNOWN-${n}`, rrn: `KNOWN000000${n}`, stan: `54545${n}` }),
    );
    for (const payment of made) await ours.insert(payment, []);
    // The oldest fell out of memory (capacity 2); the others are the copies written.
    expect(ours.recentByPaymentRequestId('KNOWN-1')).toBeUndefined();
    expect(ours.recentByPaymentRequestId('KNOWN-3')).toEqual(made[2]);
    const stale = await ours
      .update({ ...made[1], state: 'DECLINED', version: 2 }, 5, [])
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect(ours.recentByPaymentRequestId('KNOWN-2')).toBeUndefined();
    expect(ours.recentByPaymentRequestId('NOT-WRITTEN')).toBeUndefined();
  });

  it('says after storing a new purchase whether a reversal naming its terminal and STAN is on file', async () => {
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const payments = new SqlPaymentRepository(session, new RecentPayments());
    await dataSource.query('DELETE FROM early_reversals WHERE terminal_id = ?', ['TERMREV1']);
    const purchase = (n: number, stan: string) =>
      aPayment({ id: `rev-${n}`, terminalId: 'TERMREV1', paymentRequestId: `REV-${n}`, rrn: `REV00000000${n}`, stan });
    expect(await payments.insertIfStanFree(purchase(1, '616161'), [])).toEqual({ stored: true, reversalOnFile: false });
    await dataSource.query(
      `INSERT INTO early_reversals (id, reversal_key, terminal_id, merchant_id, original_stan, reversal_mti,
         reversal_local_date_time, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ['er-1', 'TERMREV1|626262|test', 'TERMREV1', 'MERCHANT0000001', '626262', '0400', '0115100000', '2025-01-15 10:00:00.000'],
    );
    expect(await payments.insertIfStanFree(purchase(2, '626262'), [])).toEqual({ stored: true, reversalOnFile: true });
  });
});
