import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, text, timestamp, varchar } from './table-helpers';

/**
 * ISV authorizations per merchant (src/notifications/isv): which authorization is current (latest
 * auth_time), its expiry and its sealed refresh token. The token itself is sealed in merchants.agent_token_sealed.
 */
export class IsvTokens1764500100000 implements MigrationInterface {
  name = 'IsvTokens1764500100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'isv_tokens',
        columns: [
          varchar('merchant_id', 15, { isPrimary: true }),
          varchar('channel', 16),
          varchar('status', 16),
          bigint('auth_time'),
          varchar('user_id', 32, { isNullable: true }),
          text('refresh_sealed', true),
          timestamp('expires_at', true),
          timestamp('refresh_expires_at', true),
          timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('isv_tokens');
  }
}
