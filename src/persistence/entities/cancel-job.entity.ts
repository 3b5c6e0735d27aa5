import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { utcDate } from '../column-types';

/**
 * The in-process cancel queue (no Kafka configured): one row per cancel order, keyed by its
 * paymentRequestId, with how many attempts were made and when the next is due (src/reversals).
 */
@Entity({ name: 'cancel_jobs' })
@Index('idx_cancel_jobs_due', ['state', 'nextAttemptAt'])
export class CancelJobEntity {
  @PrimaryColumn({ name: 'payment_request_id', type: 'varchar', length: 64 })
  paymentRequestId!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ type: 'varchar', length: 12 })
  state!: string;

  @Column({ name: 'first_seen_at', type: 'datetime', precision: 3, transformer: utcDate })
  firstSeenAt!: Date;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, transformer: utcDate })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, transformer: utcDate })
  updatedAt!: Date;
}
