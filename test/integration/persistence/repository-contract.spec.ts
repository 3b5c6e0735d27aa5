import { DataSource } from 'typeorm';
import { describeRepositoryContract } from '../../../src/payments/testing';
import { CancelOrder, PaymentEvent } from '../../../src/payments/application/ports';
import { openDatabase } from '../../../src/persistence/data-source';
import { OutboxMessageEntity, PaymentEntity, PaymentEventEntity, RefundEntity } from '../../../src/persistence/entities';
import { TypeOrmPaymentRepository } from '../../../src/persistence/repositories/typeorm-payment.repository';
import { TypeOrmRefundRepository } from '../../../src/persistence/repositories/typeorm-refund.repository';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { DATABASE_KINDS, TestDatabase } from '../../support/databases';

describe.each(DATABASE_KINDS)('TypeORM repositories on %s', (name, create) => {
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

  describeRepositoryContract(`typeorm/${name}`, async () => {
    for (const entity of [PaymentEventEntity, OutboxMessageEntity, RefundEntity, PaymentEntity]) {
      await dataSource.getRepository(entity).clear();
    }
    const uow = new UnitOfWork(dataSource);
    return {
      payments: new TypeOrmPaymentRepository(uow),
      refunds: new TypeOrmRefundRepository(uow),
      readEvents: async (paymentId: string): Promise<PaymentEvent[]> => {
        const rows = await dataSource.getRepository(PaymentEventEntity).find({ where: { paymentId }, order: { id: 'ASC' } });
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
        return rows.map((r) => ({ kind: 'CANCEL' as const, key: r.messageKey, payload: JSON.parse(r.payload) as CancelOrder }));
      },
    };
  });
});
