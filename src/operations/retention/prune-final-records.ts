/**
 * Deletes what the switch will never read again: relayed outbox rows, the history of payments that are
 * final, finished in-process cancel jobs and early reversals, and from the merchant API its idempotency
 * records and finished webhook deliveries with their attempts, all older than a cutoff. Payments, refunds,
 * the merchant API's orders and manual interventions stay (they are the business record and the audit
 * trail). An Idempotency-Key older than the cutoff is forgotten; a repeat of its payment still meets the
 * order's merchantOrderId (409), never a second payment.
 *
 * Each batch selects at most `batchSize` ids and deletes them by id in its own transaction, so a prune
 * never holds long locks and the same SQL runs on MySQL/MariaDB and the embedded SQLite.
 */
import type { EntityManager } from 'typeorm';
import { utcText } from '../../persistence/sql/sql-values';
import type { UnitOfWork } from '../../persistence/unit-of-work';

export type PrunedTable =
  | 'outbox'
  | 'payment_events'
  | 'cancel_jobs'
  | 'early_reversals'
  | 'merchant_api_idempotency'
  | 'webhook_delivery_attempts'
  | 'webhook_deliveries';
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
  {
    table: 'merchant_api_idempotency',
    idColumn: 'id',
    select: 'SELECT i.id AS id FROM merchant_api_idempotency i WHERE i.created_at < ? ORDER BY i.id LIMIT ?',
  },
  {
    // A delivery still pending keeps its attempts: they are what an operator reads before a re-send.
    table: 'webhook_delivery_attempts',
    idColumn: 'id',
    select: `SELECT a.id AS id FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
      WHERE d.status <> 'pending' AND d.created_at < ? ORDER BY a.id LIMIT ?`,
  },
  {
    // After its attempts: the merchant's order keeps what was last told (notified_status), so nothing is pushed again.
    table: 'webhook_deliveries',
    idColumn: 'id',
    select: `SELECT d.id AS id FROM webhook_deliveries d WHERE d.status <> 'pending' AND d.created_at < ?
      AND NOT EXISTS (SELECT 1 FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) ORDER BY d.id LIMIT ?`,
  },
];

export async function pruneFinalRecords(
  uow: UnitOfWork,
  cutoff: Date,
  batchSize: number,
): Promise<PruneResult> {
  const result = Object.fromEntries(TARGETS.map((t) => [t.table, 0])) as PruneResult;
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
