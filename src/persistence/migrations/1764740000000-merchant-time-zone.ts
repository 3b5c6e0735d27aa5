import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { varchar } from './table-helpers';

/**
 * The merchant's time zone (IANA name): receipts print the transaction's local time (seed 004), and the
 * switch stores UTC. Existing merchants read UTC until someone sets theirs.
 */
export class MerchantTimeZone1764740000000 implements MigrationInterface {
  name = 'MerchantTimeZone1764740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('merchants', new TableColumn(varchar('time_zone', 64, { default: "'UTC'" })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('merchants', 'time_zone');
  }
}
