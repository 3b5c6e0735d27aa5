import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';
import { bigint, int, text, timestamp, varchar } from './table-helpers';

// SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
const generatedId = (queryRunner: QueryRunner): TableColumnOptions => ({
  name: 'id',
  type: queryRunner.connection.options.type === 'mysql' ? 'bigint' : 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

/** Early reversals, the manual-intervention list and the in-process cancel queue (src/reversals). */
export class Reversals1763776200000 implements MigrationInterface {
  name = 'Reversals1763776200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'early_reversals',
        columns: [
          varchar('id', 36, { isPrimary: true }),
          varchar('reversal_key', 40),
          varchar('terminal_id', 8),
          varchar('merchant_id', 15),
          varchar('original_stan', 6),
          varchar('original_mti', 4, { isNullable: true }),
          varchar('original_local_date_time', 10, { isNullable: true }),
          varchar('reversal_mti', 4),
          varchar('reversal_local_date_time', 10),
          bigint('amount_minor', { isNullable: true }),
          varchar('currency_numeric', 3, { isNullable: true }),
          timestamp('received_at'),
          varchar('matched_payment_id', 36, { isNullable: true }),
          timestamp('matched_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_early_reversals_key', columnNames: ['reversal_key'], isUnique: true }),
          new TableIndex({
            name: 'idx_early_reversals_terminal_stan',
            columnNames: ['terminal_id', 'original_stan'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'manual_interventions',
        columns: [
          generatedId(queryRunner),
          varchar('payment_id', 36, { isNullable: true }),
          varchar('payment_request_id', 64),
          varchar('reason', 32),
          varchar('detail', 255),
          timestamp('created_at'),
          timestamp('resolved_at', true),
          varchar('open_key', 64, { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'idx_manual_interventions_request_id',
            columnNames: ['payment_request_id'],
          }),
          new TableIndex({ name: 'uq_manual_interventions_open', columnNames: ['open_key'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cancel_jobs',
        columns: [
          varchar('payment_request_id', 64, { isPrimary: true }),
          text('payload'),
          int('attempts'),
          varchar('state', 12),
          timestamp('first_seen_at'),
          timestamp('next_attempt_at'),
          varchar('last_error', 255, { isNullable: true }),
          timestamp('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_cancel_jobs_due', columnNames: ['state', 'next_attempt_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cancel_jobs', 'manual_interventions', 'early_reversals'])
      await queryRunner.dropTable(table);
  }
}
