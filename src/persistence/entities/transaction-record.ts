import { Column, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, utcDate } from '../column-types';

/** The columns a purchase and a refund both have: one terminal request and where it stands. */
export abstract class TransactionRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'terminal_id', type: 'varchar', length: 8 })
  terminalId!: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 15 })
  merchantId!: string;

  @Column({ type: 'varchar', length: 6 })
  stan!: string;

  @Column({ name: 'local_date_time', type: 'varchar', length: 10 })
  localDateTime!: string;

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

  @Column({ type: 'varchar', length: 20 })
  state!: string;

  @Column({ type: 'varchar', length: 12 })
  delivery!: string;

  @Column({ name: 'approval_code', type: 'varchar', length: 6, nullable: true })
  approvalCode!: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 40, nullable: true })
  failureReason!: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 64, nullable: true })
  failureCode!: string | null;

  @Column({ name: 'manual_intervention', type: 'int', default: 0 })
  manualIntervention!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, transformer: utcDate })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, transformer: utcDate })
  updatedAt!: Date;

  @Column({ name: 'merchant_deadline_at', type: 'datetime', precision: 3, transformer: utcDate })
  merchantDeadlineAt!: Date;

  @Column({ type: 'int' })
  version!: number;
}
