import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { utcDate } from '../column-types';

/** Append-only history: every state change and every Alipay call of a payment or its refunds. */
@Entity({ name: 'payment_events' })
export class PaymentEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('idx_payment_events_payment')
  @Column({ name: 'payment_id', type: 'varchar', length: 36 })
  paymentId!: string;

  @Column({ name: 'refund_id', type: 'varchar', length: 36, nullable: true })
  refundId!: string | null;

  @Column({ type: 'datetime', precision: 3, transformer: utcDate })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  type!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 20, nullable: true })
  fromState!: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 20, nullable: true })
  toState!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  api!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ name: 'latency_ms', type: 'int', nullable: true })
  latencyMs!: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  detail!: string | null;
}
