import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { utcDate } from '../column-types';

@Entity({ name: 'terminals' })
export class TerminalEntity {
  @PrimaryColumn({ name: 'terminal_id', type: 'varchar', length: 8 })
  terminalId!: string;

  @Index('idx_terminals_merchant')
  @Column({ name: 'merchant_id', type: 'varchar', length: 15 })
  merchantId!: string;

  @Column({ type: 'varchar', length: 16 })
  dialect!: 'ascii' | 'nac-bcd';

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'suspended';

  @Column({ name: 'merchant_timeout_ms', type: 'int' })
  merchantTimeoutMs!: number;

  /** Double-length DES MAC key, sealed; null when the terminal does not MAC. */
  @Column({ name: 'mac_key_sealed', type: 'text', nullable: true })
  macKeySealed!: string | null;

  /** Source networks (comma-separated CIDRs) the terminal may connect from; null: any. */
  @Column({ name: 'allowed_networks', type: 'varchar', length: 1024, nullable: true })
  allowedNetworks!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, transformer: utcDate })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, transformer: utcDate })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
