import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { varchar } from './table-helpers';

/** A terminal's security profile: MAC key (already there) and/or the source networks it may connect from. */
export class TerminalAllowedNetworks1764300000000 implements MigrationInterface {
  name = 'TerminalAllowedNetworks1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('terminals', new TableColumn(varchar('allowed_networks', 1024, { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('terminals', 'allowed_networks');
  }
}
