import { Column, Entity, Index } from 'typeorm';
import { utcDate } from '../column-types';
import { TransactionRecord } from './transaction-record';

@Entity({ name: 'refunds' })
@Index('uq_refunds_terminal_stan', ['terminalId', 'stan', 'localDateTime'], { unique: true })
@Index('uq_refunds_rrn', ['rrn'], { unique: true })
@Index('idx_refunds_state', ['state'])
export class RefundEntity extends TransactionRecord {
  @Index('uq_refunds_request_id', { unique: true })
  @Column({ name: 'refund_request_id', type: 'varchar', length: 64 })
  refundRequestId!: string;

  @Index('idx_refunds_payment')
  @Column({ name: 'payment_id', type: 'varchar', length: 36 })
  paymentId!: string;

  @Column({ name: 'alipay_refund_id', type: 'varchar', length: 64, nullable: true })
  alipayRefundId!: string | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'retry_until', type: 'datetime', precision: 3, transformer: utcDate })
  retryUntil!: Date;

  @Index('idx_refunds_owner')
  @Column({ name: 'owner_instance', type: 'varchar', length: 64, nullable: true })
  ownerInstance!: string | null;
}
