import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, utcDate } from '../column-types';

@Entity({ name: 'refunds' })
@Index('uq_refunds_terminal_stan', ['terminalId', 'stan', 'localDateTime'], { unique: true })
export class RefundEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_refunds_request_id', { unique: true })
  @Column({ name: 'refund_request_id', type: 'varchar', length: 64 })
  refundRequestId!: string;

  @Index('idx_refunds_payment')
  @Column({ name: 'payment_id', type: 'varchar', length: 36 })
  paymentId!: string;

  @Column({ name: 'terminal_id', type: 'varchar', length: 8 })
  terminalId!: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 15 })
  merchantId!: string;

  @Column({ type: 'varchar', length: 6 })
  stan!: string;

  @Column({ name: 'local_date_time', type: 'varchar', length: 10 })
  localDateTime!: string;

  @Index('uq_refunds_rrn', { unique: true })
  @Column({ type: 'varchar', length: 12 })
  rrn!: string;

  @Column({ name: 'request_mti', type: 'varchar', length: 4 })
  requestMti!: string;

  @Column({ name: 'processing_code', type: 'varchar', length: 6 })
  processingCode!: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column({ name: 'currency_numeric', type: 'varchar', length: 3 })
  currencyNumeric!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Index('idx_refunds_state')
  @Column({ type: 'varchar', length: 20 })
  state!: string;

  @Column({ type: 'varchar', length: 12 })
  delivery!: string;

  @Column({ name: 'alipay_refund_id', type: 'varchar', length: 64, nullable: true })
  alipayRefundId!: string | null;

  @Column({ name: 'approval_code', type: 'varchar', length: 6, nullable: true })
  approvalCode!: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 40, nullable: true })
  failureReason!: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 64, nullable: true })
  failureCode!: string | null;

  @Column({ name: 'manual_intervention', type: 'int', default: 0 })
  manualIntervention!: number;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, transformer: utcDate })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, transformer: utcDate })
  updatedAt!: Date;

  @Column({ name: 'merchant_deadline_at', type: 'datetime', precision: 3, transformer: utcDate })
  merchantDeadlineAt!: Date;

  @Column({ name: 'retry_until', type: 'datetime', precision: 3, transformer: utcDate })
  retryUntil!: Date;

  @Column({ type: 'int' })
  version!: number;
}
