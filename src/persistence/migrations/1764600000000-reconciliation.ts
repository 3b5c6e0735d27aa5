import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { generatedId, int, text, timestamp, varchar } from './table-helpers';

/**
 * Reconciliation runs (one row per run of a channel-day) and the differences they found (one row per
 * difference per channel-day, whatever the number of runs, so a repeated run adds nothing). The indexes
 * on payments and refunds let a run read one channel-day without scanning the table.
 */
export class Reconciliation1764600000000 implements MigrationInterface {
  name = 'Reconciliation1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'reconciliation_runs',
        columns: [
          generatedId(queryRunner),
          varchar('channel', 16),
          varchar('day', 10),
          varchar('files', 512),
          varchar('outcome', 16),
          int('lines_read'),
          int('payments_matched'),
          int('refunds_matched'),
          int('differences_found'),
          int('differences_new'),
          int('orphans_fixed'),
          varchar('problem', 255, { isNullable: true }),
          timestamp('started_at'),
          timestamp('finished_at'),
        ],
        indices: [new TableIndex({ name: 'idx_reconciliation_runs_day', columnNames: ['channel', 'day'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reconciliation_differences',
        columns: [
          generatedId(queryRunner),
          varchar('channel', 16),
          varchar('day', 10),
          varchar('kind', 24),
          varchar('reference', 64),
          varchar('switch_side', 128),
          varchar('alipay_side', 128),
          text('resolution', true),
          timestamp('found_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_reconciliation_differences',
            columnNames: ['channel', 'day', 'kind', 'reference'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createIndex(
      'payments',
      new TableIndex({ name: 'idx_payments_channel_created', columnNames: ['channel', 'created_at'] }),
    );
    await queryRunner.createIndex(
      'refunds',
      new TableIndex({ name: 'idx_refunds_channel_created', columnNames: ['channel', 'created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('refunds', 'idx_refunds_channel_created');
    await queryRunner.dropIndex('payments', 'idx_payments_channel_created');
    await queryRunner.dropTable('reconciliation_differences');
    await queryRunner.dropTable('reconciliation_runs');
  }
}
