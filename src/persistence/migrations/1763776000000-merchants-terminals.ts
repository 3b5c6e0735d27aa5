import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { int, text, timestamp, varchar, version } from './table-helpers';

export class MerchantsTerminals1763776000000 implements MigrationInterface {
  name = 'MerchantsTerminals1763776000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'merchants',
        columns: [
          varchar('merchant_id', 15, { isPrimary: true }),
          varchar('name', 128),
          varchar('mcc', 4),
          varchar('store_id', 64),
          varchar('store_name', 128),
          varchar('channel', 16),
          varchar('endpoint', 255),
          text('credentials_sealed'),
          text('agent_token_sealed', true),
          varchar('status', 16, { default: "'active'" }),
          timestamp('created_at'),
          timestamp('updated_at'),
          version(),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'terminals',
        columns: [
          varchar('terminal_id', 8, { isPrimary: true }),
          varchar('merchant_id', 15),
          varchar('dialect', 16),
          varchar('status', 16, { default: "'active'" }),
          int('merchant_timeout_ms'),
          text('mac_key_sealed', true),
          timestamp('created_at'),
          timestamp('updated_at'),
          version(),
        ],
        foreignKeys: [
          {
            columnNames: ['merchant_id'],
            referencedTableName: 'merchants',
            referencedColumnNames: ['merchant_id'],
          },
        ],
      }),
    );
    await queryRunner.createIndex(
      'terminals',
      new TableIndex({ name: 'idx_terminals_merchant', columnNames: ['merchant_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('terminals');
    await queryRunner.dropTable('merchants');
  }
}
