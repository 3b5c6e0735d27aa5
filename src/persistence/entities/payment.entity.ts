import { Column, Entity, Index } from 'typeorm';
import { bigintAsNumber, utcDate } from '../column-types';
import { TransactionRecord } from './transaction-record';

@Entity({ name: 'payments' })
@Index('uq_payments_terminal_stan', ['terminalId', 'stan', 'localDateTime'], { unique: true })
@Index('uq_payments_rrn', ['rrn'], { unique: true })
@Index('idx_payments_state', ['state'])
export class PaymentEntity extends TransactionRecord {
  @Index('uq_payments_request_id', { unique: true })
  @Column({ name: 'payment_request_id', type: 'varchar', length: 64 })
  paymentRequestId!: string;

  @Column({ name: 'payment_code_masked', type: 'varchar', length: 32 })
  paymentCodeMasked!: string;

  @Index('idx_payments_code_hash')
  @Column({ name: 'payment_code_hash', type: 'varchar', length: 64 })
  paymentCodeHash!: string;

  @Column({ name: 'alipay_transaction_id', type: 'varchar', length: 64, nullable: true })
  alipayTransactionId!: string | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 32, nullable: true })
  cancelReason!: string | null;

  @Column({ name: 'refunded_minor', type: 'bigint', transformer: bigintAsNumber })
  refundedMinor!: number;

  @Column({ name: 'reserved_refund_minor', type: 'bigint', transformer: bigintAsNumber })
  reservedRefundMinor!: number;

  @Column({ name: 'gateway_deadline_at', type: 'datetime', precision: 3, transformer: utcDate })
  gatewayDeadlineAt!: Date;

  /** The instance driving the unfinished payment (NULL once final): migration 1764720000000. */
  @Index('idx_payments_owner')
  @Column({ name: 'owner_instance', type: 'varchar', length: 64, nullable: true })
  ownerInstance!: string | null;
}
