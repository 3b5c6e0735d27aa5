import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, int, timestamp, varchar } from './table-helpers';

/**
 * Several switch instances on one database (issue 13): the owner of each unfinished payment, one lease
 * row per running instance, and the terminal sessions of every instance. docs/architecture.md,
 * "Ownership and takeover".
 */
export class Instances1764720000000 implements MigrationInterface {
  name = 'Instances1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('payments', new TableColumn(varchar('owner_instance', 64, { isNullable: true })));
    await queryRunner.createIndex('payments', new TableIndex({ name: 'idx_payments_owner', columnNames: ['owner_instance'] }));
    await queryRunner.createTable(
      new Table({
        name: 'instance_leases',
        columns: [
          varchar('instance_id', 64, { isPrimary: true }),
          // Bumped by every start under this id: a second process running under the same id is told so.
          bigint('epoch'),
          timestamp('expires_at'),
          timestamp('renewed_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'terminal_sessions',
        columns: [
          varchar('instance_id', 64, { isPrimary: true }),
          varchar('connection_id', 64, { isPrimary: true }),
          varchar('terminal_id', 8),
          varchar('merchant_id', 15, { isNullable: true }),
          varchar('dialect', 16),
          varchar('remote_address', 64),
          timestamp('connected_at'),
          timestamp('last_seen_at'),
          int('signed_on', { default: 0 }),
          timestamp('signed_on_at', true),
        ],
        indices: [{ name: 'idx_terminal_sessions_terminal', columnNames: ['terminal_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('terminal_sessions');
    await queryRunner.dropTable('instance_leases');
    await queryRunner.dropIndex('payments', 'idx_payments_owner');
    await queryRunner.dropColumn('payments', 'owner_instance');
  }
}
