import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { utcDate } from '../column-types';

/**
 * Written in the same transaction as the state change it carries out (the transactional outbox);
 * a relay moves it to Kafka (or the in-process worker) and stamps `relayed_at`.
 */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'message_key', type: 'varchar', length: 64 })
  messageKey!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, transformer: utcDate })
  createdAt!: Date;

  @Index('idx_outbox_relayed')
  @Column({ name: 'relayed_at', type: 'datetime', precision: 3, nullable: true, transformer: utcDate })
  relayedAt!: Date | null;
}
