import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, int, varchar } from './table-helpers';

/** What each merchant refunded per UTC day, against the daily refund limits. */
export class RefundDayTotals1764300100000 implements MigrationInterface {
  name = 'RefundDayTotals1764300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'refund_day_totals',
        columns: [
          varchar('merchant_id', 15, { isPrimary: true }),
          varchar('day', 10, { isPrimary: true }),
          bigint('amount_minor', { default: 0 }),
          int('refund_count', { default: 0 }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refund_day_totals');
  }
}
