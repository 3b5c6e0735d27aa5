import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint, int } from './table-helpers';

/**
 * A merchant's own limits, set by the acquirer: the most one purchase may be, and what it may refund per
 * UTC day. NULL: no limit of the merchant's own (the global REFUND_DAILY_LIMIT_* settings still apply).
 */
export class MerchantLimits1764700000000 implements MigrationInterface {
  name = 'MerchantLimits1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('merchants', [
      new TableColumn(bigint('purchase_max_minor', { isNullable: true })),
      new TableColumn(bigint('refund_daily_max_minor', { isNullable: true })),
      new TableColumn(int('refund_daily_max_count', { isNullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['refund_daily_max_count', 'refund_daily_max_minor', 'purchase_max_minor'])
      await queryRunner.dropColumn('merchants', column);
  }
}
