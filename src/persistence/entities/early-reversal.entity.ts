import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, utcDate } from '../column-types';

/**
 * A reversal (0400/0420) whose original purchase the switch had not seen: kept so that purchase is never
 * paid if it arrives later (src/reversals). `reversal_key` makes a repeat of the same reversal a no-op.
 */
@Entity({ name: 'early_reversals' })
@Index('idx_early_reversals_terminal_stan', ['terminalId', 'originalStan'])
export class EarlyReversalEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_early_reversals_key', { unique: true })
  @Column({ name: 'reversal_key', type: 'varchar', length: 40 })
  reversalKey!: string;

  @Column({ name: 'terminal_id', type: 'varchar', length: 8 })
  terminalId!: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 15 })
  merchantId!: string;

  @Column({ name: 'original_stan', type: 'varchar', length: 6 })
  originalStan!: string;

  @Column({ name: 'original_mti', type: 'varchar', length: 4, nullable: true })
  originalMti!: string | null;

  @Column({ name: 'original_local_date_time', type: 'varchar', length: 10, nullable: true })
  originalLocalDateTime!: string | null;

  @Column({ name: 'reversal_mti', type: 'varchar', length: 4 })
  reversalMti!: string;

  @Column({ name: 'reversal_local_date_time', type: 'varchar', length: 10 })
  reversalLocalDateTime!: string;

  @Column({ name: 'amount_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  amountMinor!: number | null;

  @Column({ name: 'currency_numeric', type: 'varchar', length: 3, nullable: true })
  currencyNumeric!: string | null;

  @Column({ name: 'received_at', type: 'datetime', precision: 3, transformer: utcDate })
  receivedAt!: Date;

  @Column({ name: 'matched_payment_id', type: 'varchar', length: 36, nullable: true })
  matchedPaymentId!: string | null;

  @Column({ name: 'matched_at', type: 'datetime', precision: 3, nullable: true, transformer: utcDate })
  matchedAt!: Date | null;
}
