import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, generatedId, int, text, timestamp, varchar } from './table-helpers';

/**
 * The merchant REST payment API (src/merchant-api): API clients with their sealed secrets, the answers kept
 * per Idempotency-Key, the REST payments and refunds (merchant order ids, webhook URLs) beside the engine's
 * rows, and the webhook deliveries with every attempt.
 */
export class MerchantApi1764730000000 implements MigrationInterface {
  name = 'MerchantApi1764730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = generatedId(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'merchant_api_clients',
        columns: [
          id,
          varchar('client_id', 40),
          varchar('merchant_id', 15),
          varchar('name', 64),
          text('secret_sealed'),
          varchar('terminal_id', 8),
          varchar('created_by', 64),
          timestamp('created_at'),
          timestamp('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_merchant_api_clients_client', columnNames: ['client_id'], isUnique: true }),
          new TableIndex({ name: 'uq_merchant_api_clients_terminal', columnNames: ['terminal_id'], isUnique: true }),
          new TableIndex({ name: 'idx_merchant_api_clients_merchant', columnNames: ['merchant_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'merchant_api_idempotency',
        columns: [
          id,
          varchar('client_id', 40),
          varchar('idempotency_key', 128),
          varchar('request_line', 255),
          varchar('body_hash', 64),
          int('status_code', { isNullable: true }),
          text('response', true),
          timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_merchant_api_idempotency_key', columnNames: ['client_id', 'idempotency_key'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'merchant_api_payments',
        columns: [
          id,
          varchar('client_id', 40),
          varchar('merchant_id', 15),
          varchar('merchant_order_id', 64),
          varchar('store_ref', 64, { isNullable: true }),
          varchar('terminal_id', 8),
          varchar('stan', 6),
          varchar('local_date_time', 10),
          varchar('payment_id', 36, { isNullable: true }),
          varchar('webhook_url', 512, { isNullable: true }),
          varchar('notified_status', 20, { isNullable: true }),
          timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_merchant_api_payments_order', columnNames: ['merchant_id', 'merchant_order_id'], isUnique: true }),
          new TableIndex({ name: 'idx_merchant_api_payments_payment', columnNames: ['payment_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'merchant_api_refunds',
        columns: [
          id,
          varchar('client_id', 40),
          varchar('payment_id', 36),
          varchar('refund_request_id', 64),
          bigint('amount_minor'),
          varchar('stan', 6),
          varchar('local_date_time', 10),
          varchar('refund_id', 36, { isNullable: true }),
          varchar('webhook_url', 512, { isNullable: true }),
          varchar('notified_status', 20, { isNullable: true }),
          timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_merchant_api_refunds_request', columnNames: ['payment_id', 'refund_request_id'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          id,
          varchar('client_id', 40),
          varchar('event_type', 40),
          varchar('target_type', 16),
          varchar('target_id', 36),
          varchar('url', 512),
          text('body'),
          varchar('status', 16),
          int('attempts', { default: 0 }),
          // Where in PAY_API_WEBHOOK_BACKOFF_MS the next failure waits; an operator's re-send starts it again.
          int('schedule_step', { default: 0 }),
          varchar('next_trigger', 16, { default: "'automatic'" }),
          timestamp('next_attempt_at', true),
          int('last_http_status', { isNullable: true }),
          varchar('last_error', 255, { isNullable: true }),
          timestamp('created_at'),
          timestamp('delivered_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'idx_webhook_deliveries_target', columnNames: ['target_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_delivery_attempts',
        columns: [
          id,
          bigint('delivery_id'),
          varchar('trigger_kind', 16),
          timestamp('attempted_at'),
          int('http_status', { isNullable: true }),
          varchar('error', 255, { isNullable: true }),
          int('duration_ms'),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_delivery_attempts_delivery', columnNames: ['delivery_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_delivery_attempts',
      'webhook_deliveries',
      'merchant_api_refunds',
      'merchant_api_payments',
      'merchant_api_idempotency',
      'merchant_api_clients',
    ])
      await queryRunner.dropTable(table);
  }
}
