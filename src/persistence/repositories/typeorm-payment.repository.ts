import { FindOptionsWhere, In } from 'typeorm';
import { OutboxMessage, PaymentEvent, PaymentRepository } from '../../payments/application/ports';
import { Payment } from '../../payments/domain/payment';
import { PaymentEntity } from '../entities';
import { UnitOfWork } from '../unit-of-work';
import { appendEvents, appendOutbox } from './event-rows';
import { paymentToRow, rowToPayment } from './payment.mapper';
import { translateDuplicates, updateAtVersion } from './versioned-write';

const RECENT_STAN_LIMIT = 20;

export class TypeOrmPaymentRepository implements PaymentRepository {
  constructor(private readonly uow: UnitOfWork) {}

  insert(payment: Payment, events: PaymentEvent[]): Promise<void> {
    return translateDuplicates(() =>
      this.uow.run(async (m) => {
        await m.insert(PaymentEntity, paymentToRow(payment));
        await appendEvents(m, events);
      }),
    );
  }

  update(
    payment: Payment,
    expectedVersion: number,
    events: PaymentEvent[],
    outbox: OutboxMessage[] = [],
  ): Promise<void> {
    return this.uow.run(async (m) => {
      await updateAtVersion(m, PaymentEntity, 'payment', paymentToRow(payment), expectedVersion);
      await appendEvents(m, events);
      await appendOutbox(m, outbox, payment.updatedAt);
    });
  }

  findById(id: string): Promise<Payment | undefined> {
    return this.findOne({ id });
  }

  findByPaymentRequestId(paymentRequestId: string): Promise<Payment | undefined> {
    return this.findOne({ paymentRequestId });
  }

  async findByTerminalStan(terminalId: string, stan: string): Promise<Payment[]> {
    const rows = await this.uow.read((m) =>
      m.find(PaymentEntity, {
        where: { terminalId, stan },
        order: { createdAt: 'DESC' },
        take: RECENT_STAN_LIMIT,
      }),
    );
    return rows.map(rowToPayment);
  }

  findByRrn(merchantId: string, rrn: string): Promise<Payment | undefined> {
    return this.findOne({ merchantId, rrn });
  }

  async findUnfinished(): Promise<Payment[]> {
    const rows = await this.uow.read((m) =>
      m
        .createQueryBuilder(PaymentEntity, 'p')
        .where({ state: In(['RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED']) })
        .orWhere("p.state = 'APPROVED' AND p.delivery <> 'delivered'")
        .orderBy('p.created_at', 'ASC')
        .getMany(),
    );
    return rows.map(rowToPayment);
  }

  private async findOne(where: FindOptionsWhere<PaymentEntity>): Promise<Payment | undefined> {
    const row = await this.uow.read((m) => m.findOneBy(PaymentEntity, where));
    return row ? rowToPayment(row) : undefined;
  }
}
