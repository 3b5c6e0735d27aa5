import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import { bigintAsNumber, utcDate } from '../column-types';

export type ChannelName = 'ams' | 'openapi' | 'mapi';

@Entity({ name: 'merchants' })
export class MerchantEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'varchar', length: 15 })
  merchantId!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 4 })
  mcc!: string;

  @Column({ name: 'store_id', type: 'varchar', length: 64 })
  storeId!: string;

  @Column({ name: 'store_name', type: 'varchar', length: 128 })
  storeName!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: ChannelName;

  /** Gateway base URL; the value "sandbox" means the switch's configured Alipay sandbox. */
  @Column({ type: 'varchar', length: 255 })
  endpoint!: string;

  /** Channel credentials as JSON (client/app id, keys), sealed with DATA_ENCRYPTION_KEY. */
  @Column({ name: 'credentials_sealed', type: 'text' })
  credentialsSealed!: string;

  /** ISV agent token (AMS Agent-Token) or app_auth_token (Open Platform), sealed. */
  @Column({ name: 'agent_token_sealed', type: 'text', nullable: true })
  agentTokenSealed!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'suspended';

  /** The most one purchase may be, in minor units of its currency; null: no maximum of the merchant's own. */
  @Column({ name: 'purchase_max_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  purchaseMaxMinor!: number | null;

  /** Minor units the merchant may refund per UTC day; null: REFUND_DAILY_LIMIT_MINOR applies. */
  @Column({ name: 'refund_daily_max_minor', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  refundDailyMaxMinor!: number | null;

  /** Refunds the merchant may make per UTC day; null: REFUND_DAILY_LIMIT_COUNT applies. */
  @Column({ name: 'refund_daily_max_count', type: 'int', nullable: true })
  refundDailyMaxCount!: number | null;

  /** IANA time zone of the merchant's clock: receipts print local time. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, default: 'UTC' })
  timeZone!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, transformer: utcDate })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, transformer: utcDate })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
