import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { utcDate } from '../column-types';

/**
 * A cancel the switch could not get Alipay to confirm: ops act on it (the admin API lists open entries).
 * `open_key` holds the paymentRequestId while the entry is unresolved and NULL after, so at most one entry
 * per payment is open at a time while any number may be kept resolved.
 */
@Entity({ name: 'manual_interventions' })
export class ManualInterventionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 36, nullable: true })
  paymentId!: string | null;

  @Index('idx_manual_interventions_request_id')
  @Column({ name: 'payment_request_id', type: 'varchar', length: 64 })
  paymentRequestId!: string;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ type: 'varchar', length: 255 })
  detail!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, transformer: utcDate })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true, transformer: utcDate })
  resolvedAt!: Date | null;

  @Index('uq_manual_interventions_open', { unique: true })
  @Column({ name: 'open_key', type: 'varchar', length: 64, nullable: true })
  openKey!: string | null;
}
