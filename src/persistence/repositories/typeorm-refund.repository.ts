import { FindOptionsWhere, In } from 'typeorm';
import { OriginalPaymentChange, PaymentEvent, RefundRepository } from '../../payments/application/ports';
import { Refund } from '../../payments/domain/refund';
import { PaymentEntity, RefundEntity } from '../entities';
import { UnitOfWork } from '../unit-of-work';
import { appendEvents } from './event-rows';
import { paymentToRow } from './payment.mapper';
import { refundToRow, rowToRefund } from './refund.mapper';
import { translateDuplicates, updateAtVersion } from './versioned-write';

export class TypeOrmRefundRepository implements RefundRepository {
  constructor(private readonly uow: UnitOfWork) {}

  insert(refund: Refund, events: PaymentEvent[], original: OriginalPaymentChange): Promise<void> {
    return translateDuplicates(() =>
      this.uow.run(async (m) => {
        // The reservation on the original goes first: a concurrent refund that lost the race fails here.
        await updateAtVersion(
          m,
          PaymentEntity,
          'payment',
          paymentToRow(original.payment),
          original.expectedVersion,
        );
        await m.insert(RefundEntity, refundToRow(refund));
        await appendEvents(m, events);
      }),
    );
  }

  update(
    refund: Refund,
    expectedVersion: number,
    events: PaymentEvent[],
    original?: OriginalPaymentChange,
  ): Promise<void> {
    return this.uow.run(async (m) => {
      await updateAtVersion(m, RefundEntity, 'refund', refundToRow(refund), expectedVersion);
      if (original)
        await updateAtVersion(
          m,
          PaymentEntity,
          'payment',
          paymentToRow(original.payment),
          original.expectedVersion,
        );
      await appendEvents(m, events);
    });
  }

  findById(id: string): Promise<Refund | undefined> {
    return this.findOne({ id });
  }

  findByRefundRequestId(refundRequestId: string): Promise<Refund | undefined> {
    return this.findOne({ refundRequestId });
  }

  async findByTerminalStan(terminalId: string, stan: string): Promise<Refund[]> {
    const rows = await this.uow.read((m) =>
      m.find(RefundEntity, { where: { terminalId, stan }, order: { createdAt: 'DESC' }, take: 20 }),
    );
    return rows.map(rowToRefund);
  }

  findByRrn(merchantId: string, rrn: string): Promise<Refund | undefined> {
    return this.findOne({ merchantId, rrn });
  }

  async findUnfinished(): Promise<Refund[]> {
    const rows = await this.uow.read((m) =>
      m.find(RefundEntity, { where: { state: In(['RECEIVED', 'PENDING']) } }),
    );
    return rows.map(rowToRefund);
  }

  private async findOne(where: FindOptionsWhere<RefundEntity>): Promise<Refund | undefined> {
    const row = await this.uow.read((m) => m.findOneBy(RefundEntity, where));
    return row ? rowToRefund(row) : undefined;
  }
}
