import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, generatedId, int, text, timestamp, varchar } from './table-helpers';

const APPEND_ONLY = 'admin_audit is append-only';

/**
 * The REST admin API (src/admin): API keys (hashes only), the append-only audit trail, and the
 * Idempotency-Key record of operator refunds. The audit table refuses UPDATE and DELETE by trigger, so
 * not even a hand-typed SQL statement rewrites history (the database user needs the TRIGGER privilege
 * to run this migration on MySQL).
 */
export class AdminApi1764400000000 implements MigrationInterface {
  name = 'AdminApi1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'admin_api_keys',
        columns: [
          varchar('id', 36, { isPrimary: true }),
          varchar('name', 64),
          varchar('role', 16),
          varchar('key_hash', 64),
          varchar('key_prefix', 16),
          timestamp('created_at'),
          varchar('created_by', 64),
          timestamp('last_used_at', true),
          timestamp('revoked_at', true),
        ],
        indices: [new TableIndex({ name: 'uq_admin_api_keys_hash', columnNames: ['key_hash'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'admin_audit',
        columns: [
          generatedId(queryRunner),
          timestamp('at'),
          varchar('request_id', 64),
          varchar('actor', 64),
          varchar('actor_key_id', 36, { isNullable: true }),
          varchar('role', 16),
          varchar('action', 64),
          varchar('target_type', 32),
          varchar('target_id', 64),
          text('before_json', true),
          text('after_json', true),
          varchar('reason', 500),
          varchar('outcome', 255),
        ],
        indices: [
          new TableIndex({ name: 'idx_admin_audit_at', columnNames: ['at'] }),
          new TableIndex({ name: 'idx_admin_audit_target', columnNames: ['target_type', 'target_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'admin_refunds',
        columns: [
          varchar('idempotency_key', 128, { isPrimary: true }),
          varchar('payment_request_id', 64),
          bigint('amount_minor'),
          varchar('actor', 64),
          timestamp('created_at'),
          int('status_code', { isNullable: true }),
          text('response', true),
        ],
      }),
    );
    const mysql = queryRunner.connection.options.type === 'mysql';
    for (const event of ['UPDATE', 'DELETE']) {
      const name = `admin_audit_no_${event.toLowerCase()}`;
      await queryRunner.query(
        mysql
          ? `CREATE TRIGGER ${name} BEFORE ${event} ON admin_audit FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${APPEND_ONLY}'`
          : `CREATE TRIGGER ${name} BEFORE ${event} ON admin_audit BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['update', 'delete']) await queryRunner.query(`DROP TRIGGER admin_audit_no_${event}`);
    for (const table of ['admin_refunds', 'admin_audit', 'admin_api_keys']) await queryRunner.dropTable(table);
  }
}
