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

const transactionColumns = (): TableColumnOptions[] => [
  varchar('terminal_id', 8),
  varchar('merchant_id', 15),
  varchar('stan', 6),
  varchar('local_date_time', 10),
  varchar('rrn', 12),
  varchar('request_mti', 4),
  varchar('processing_code', 6),
  bigint('amount_minor'),
  varchar('currency_numeric', 3),
  varchar('channel', 16),
  varchar('state', 20),
  varchar('delivery', 12),
  varchar('approval_code', 6, { isNullable: true }),
  varchar('failure_reason', 40, { isNullable: true }),
  varchar('failure_code', 64, { isNullable: true }),
  int('manual_intervention', { default: 0 }),
  timestamp('created_at'),
  timestamp('updated_at'),
  timestamp('merchant_deadline_at'),
];

export class Payments1763776100000 implements MigrationInterface {
  name = 'Payments1763776100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'payments',
        columns: [
          varchar('id', 36, { isPrimary: true }),
          varchar('payment_request_id', 64),
          ...transactionColumns(),
          varchar('payment_code_masked', 32),
          varchar('payment_code_hash', 64),
          varchar('alipay_transaction_id', 64, { isNullable: true }),
          varchar('cancel_reason', 32, { isNullable: true }),
          bigint('refunded_minor'),
          bigint('reserved_refund_minor'),
          timestamp('gateway_deadline_at'),
          int('version'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_payments_request_id',
            columnNames: ['payment_request_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'uq_payments_terminal_stan',
            columnNames: ['terminal_id', 'stan', 'local_date_time'],
            isUnique: true,
          }),
          new TableIndex({ name: 'uq_payments_rrn', columnNames: ['rrn'], isUnique: true }),
          new TableIndex({ name: 'idx_payments_state', columnNames: ['state'] }),
          new TableIndex({ name: 'idx_payments_code_hash', columnNames: ['payment_code_hash'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refunds',
        columns: [
          varchar('id', 36, { isPrimary: true }),
          varchar('refund_request_id', 64),
          varchar('payment_id', 36),
          ...transactionColumns(),
          varchar('alipay_refund_id', 64, { isNullable: true }),
          int('attempts'),
          timestamp('retry_until'),
          int('version'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_refunds_request_id',
            columnNames: ['refund_request_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'uq_refunds_terminal_stan',
            columnNames: ['terminal_id', 'stan', 'local_date_time'],
            isUnique: true,
          }),
          new TableIndex({ name: 'uq_refunds_rrn', columnNames: ['rrn'], isUnique: true }),
          new TableIndex({ name: 'idx_refunds_payment', columnNames: ['payment_id'] }),
          new TableIndex({ name: 'idx_refunds_state', columnNames: ['state'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'payment_events',
        columns: [
          generatedId(queryRunner),
          varchar('payment_id', 36),
          varchar('refund_id', 36, { isNullable: true }),
          timestamp('at'),
          varchar('type', 16),
          varchar('from_state', 20, { isNullable: true }),
          varchar('to_state', 20, { isNullable: true }),
          varchar('api', 64, { isNullable: true }),
          varchar('request_id', 64, { isNullable: true }),
          int('latency_ms', { isNullable: true }),
          varchar('outcome', 32, { isNullable: true }),
          varchar('code', 64, { isNullable: true }),
          varchar('detail', 255, { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'idx_payment_events_payment', columnNames: ['payment_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          generatedId(queryRunner),
          varchar('kind', 16),
          varchar('message_key', 64),
          text('payload'),
          timestamp('created_at'),
          timestamp('relayed_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_outbox_relayed', columnNames: ['relayed_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'payment_events', 'refunds', 'payments'])
      await queryRunner.dropTable(table);
  }
}
