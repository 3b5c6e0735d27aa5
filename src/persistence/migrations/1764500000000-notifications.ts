import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { int, text, timestamp, varchar } from './table-helpers';

/** The notification log of src/notifications: every notification Alipay posted and what it was answered. */
export class Notifications1764500000000 implements MigrationInterface {
  name = 'Notifications1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    await queryRunner.createTable(
      new Table({
        name: 'alipay_notifications',
        columns: [
          // SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
          {
            name: 'id',
            type: mysql ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          varchar('channel', 16),
          varchar('notify_id', 128, { isNullable: true }),
          varchar('kind', 32, { isNullable: true }),
          varchar('payment_request_id', 64, { isNullable: true }),
          varchar('payment_id', 36, { isNullable: true }),
          varchar('merchant_id', 15, { isNullable: true }),
          varchar('verification', 32),
          varchar('outcome', 32),
          int('duplicate', { default: 0 }),
          int('reply_status'),
          varchar('reply', 255),
          text('payload_masked'),
          timestamp('received_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_alipay_notifications_notify', columnNames: ['channel', 'notify_id'] }),
          new TableIndex({ name: 'idx_alipay_notifications_received', columnNames: ['received_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('alipay_notifications');
  }
}
