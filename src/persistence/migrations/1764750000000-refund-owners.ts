import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { varchar } from './table-helpers';

/**
 * The owner of each refund whose outcome is still being retried, as payments have one (issue 13): an
 * instance that dies leaves its refunds to the others instead of to the next restart, and a starting
 * instance no longer retries refunds a live one is retrying. Refunds stored before have no owner; the
 * first instance to look claims the unfinished ones.
 */
export class RefundOwners1764750000000 implements MigrationInterface {
  name = 'RefundOwners1764750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('refunds', new TableColumn(varchar('owner_instance', 64, { isNullable: true })));
    await queryRunner.createIndex('refunds', new TableIndex({ name: 'idx_refunds_owner', columnNames: ['owner_instance'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('refunds', 'idx_refunds_owner');
    await queryRunner.dropColumn('refunds', 'owner_instance');
  }
}
