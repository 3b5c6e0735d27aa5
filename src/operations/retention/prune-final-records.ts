/**
 * Deletes what the switch will never read again: relayed outbox rows, the history of payments that are
 * final, finished in-process cancel jobs and early reversals, all older than a cutoff. Payments, refunds
 * and manual interventions stay (they are the business record and the audit trail).
 *
 * Each batch selects at most `batchSize` ids and deletes them by id in its own transaction, so a prune
 * never holds long locks and the same SQL runs on MySQL/MariaDB and the embedded SQLite.
 */
import type { EntityManager } from 'typeorm';
import { utcText } from '../../persistence/sql/sql-values';
import type { UnitOfWork } from '../../persistence/unit-of-work';

export type PrunedTable = 'outbox' | 'payment_events' | 'cancel_jobs' | 'early_reversals';
export type PruneResult = Record<PrunedTable, number>;

/** A payment nothing will change any more, with no refund still being retried and no one asked to act. */
const FINAL_PAYMENT = `(p.state IN ('DECLINED', 'CANCELLED') OR (p.state = 'APPROVED' AND p.delivery = 'delivered'))
  AND p.manual_intervention = 0
  AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id AND r.state IN ('RECEIVED', 'PENDING'))`;

interface Target {
  table: PrunedTable;
  idColumn: string;
  /** Selects the ids to delete; `?` 1 is the cutoff, `?` 2 the batch size. */
  select: string;
}

const TARGETS: readonly Target[] = [
  {
    // A cancel order still waiting on Alipay keeps its row: it is how the age of a pending cancel is known.
    table: 'outbox',
    idColumn: 'id',
    select: `SELECT o.id AS id FROM outbox o WHERE o.relayed_at IS NOT NULL AND o.created_at < ?
      AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.payment_request_id = o.message_key AND p.state = 'CANCEL_REQUESTED')
      ORDER BY o.id LIMIT ?`,
  },
  {
    table: 'payment_events',
    idColumn: 'id',
    select: `SELECT e.id AS id FROM payment_events e JOIN payments p ON p.id = e.payment_id
      WHERE p.updated_at < ? AND ${FINAL_PAYMENT} ORDER BY e.id LIMIT ?`,
  },
  {
    // Done jobs, and dead ones whose payment was cancelled after all (by a retry or an operator).
    table: 'cancel_jobs',
    idColumn: 'payment_request_id',
    select: `SELECT j.payment_request_id AS id FROM cancel_jobs j WHERE j.updated_at < ?
      AND (j.state = 'done' OR (j.state = 'dead' AND EXISTS
        (SELECT 1 FROM payments p WHERE p.payment_request_id = j.payment_request_id AND p.state = 'CANCELLED')))
      ORDER BY j.payment_request_id LIMIT ?`,
  },
  {
    // Matched or not: a purchase never arrives days after its reversal.
    table: 'early_reversals',
    idColumn: 'id',
    select: 'SELECT x.id AS id FROM early_reversals x WHERE x.received_at < ? ORDER BY x.id LIMIT ?',
  },
];

export async function pruneFinalRecords(
  uow: UnitOfWork,
  cutoff: Date,
  batchSize: number,
): Promise<PruneResult> {
  const result: PruneResult = { outbox: 0, payment_events: 0, cancel_jobs: 0, early_reversals: 0 };
  for (const target of TARGETS) {
    for (;;) {
      const deleted = await uow.run((m) => deleteBatch(m, target, cutoff, batchSize));
      result[target.table] += deleted;
      if (deleted < batchSize) break;
    }
  }
  return result;
}

async function deleteBatch(
  m: EntityManager,
  target: Target,
  cutoff: Date,
  batchSize: number,
): Promise<number> {
  const rows = await m.query<Array<{ id: string | number }>>(target.select, [utcText(cutoff), batchSize]);
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  await m.query(
    `DELETE FROM ${target.table} WHERE ${target.idColumn} IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  return ids.length;
}
