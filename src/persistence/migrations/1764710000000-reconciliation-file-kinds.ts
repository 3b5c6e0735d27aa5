import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { varchar } from './table-helpers';

/**
 * Reconciliation runs and differences per file kind: AMS has settlement reports besides its transaction
 * file, reconciled as runs of their own, whose differences are kept apart (a repeat of either adds nothing).
 * Existing rows were all transaction-file runs.
 */
export class ReconciliationFileKinds1764710000000 implements MigrationInterface {
  name = 'ReconciliationFileKinds1764710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reconciliation_runs', 'reconciliation_differences'])
      await queryRunner.addColumn(
        table,
        new TableColumn(varchar('file_kind', 16, { default: "'transactions'" })),
      );
    await queryRunner.dropIndex('reconciliation_differences', 'uq_reconciliation_differences');
    await queryRunner.createIndex(
      'reconciliation_differences',
      new TableIndex({
        name: 'uq_reconciliation_differences',
        columnNames: ['channel', 'day', 'file_kind', 'kind', 'reference'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('reconciliation_differences', 'uq_reconciliation_differences');
    await queryRunner.query("DELETE FROM reconciliation_differences WHERE file_kind <> 'transactions'");
    await queryRunner.createIndex(
      'reconciliation_differences',
      new TableIndex({
        name: 'uq_reconciliation_differences',
        columnNames: ['channel', 'day', 'kind', 'reference'],
        isUnique: true,
      }),
    );
    for (const table of ['reconciliation_differences', 'reconciliation_runs'])
      await queryRunner.dropColumn(table, 'file_kind');
  }
}
