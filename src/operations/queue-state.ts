/**
 * What the cancel road holds right now, read from the database: the outbox backlog, the in-process cancel
 * jobs, cancels not yet confirmed and the manual-intervention list. Read on each scrape and readiness
 * probe; every query is a count over an indexed column (outbox.relayed_at, cancel_jobs.state,
 * payments.state, manual_interventions.open_key), so it stays cheap however large the tables grow.
 */
import { dateFrom, utcText, type ColumnValue } from '../persistence/sql/sql-values';
import type { UnitOfWork } from '../persistence/unit-of-work';

export interface QueueState {
  outboxBacklog: number;
  /** Age of the oldest unrelayed outbox row; 0 when there is none. */
  outboxOldestAgeMs: number;
  cancelJobs: Record<string, number>;
  /** Payments in CANCEL_REQUESTED, and how long ago the oldest one's cancel was ordered. */
  pendingCancels: number;
  pendingCancelOldestAgeMs: number;
  /** Open manual interventions by reason; `refund-gave-up` counts refunds whose retries ran out. */
  openInterventions: Record<string, number>;
  /**
   * Unfinished payments whose owner has no live lease (several instances on MySQL): nobody drives them
   * until an instance takes them over, normally within LEASE_MS. Always 0 on the embedded database (one
   * instance, no lease renewal).
   */
  paymentsOfLapsedOwners: number;
}

interface CountRow {
  n: ColumnValue;
  oldest?: ColumnValue;
  label?: string;
}

export async function readQueueState(uow: UnitOfWork, now: Date = new Date()): Promise<QueueState> {
  return uow.read(async (m) => {
    const query = (sql: string) => m.query<CountRow[]>(sql);
    const [outbox] = await query(
      'SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE relayed_at IS NULL',
    );
    const jobs = await query('SELECT state AS label, COUNT(*) AS n FROM cancel_jobs GROUP BY state');
    const [pending] = await query(
      "SELECT COUNT(DISTINCT p.id) AS n, MIN(o.created_at) AS oldest FROM payments p JOIN outbox o ON o.message_key = p.payment_request_id AND o.kind = 'CANCEL' WHERE p.state = 'CANCEL_REQUESTED'",
    );
    const interventions = await query(
      'SELECT reason AS label, COUNT(*) AS n FROM manual_interventions WHERE open_key IS NOT NULL GROUP BY reason',
    );
    const [refunds] = await query(
      "SELECT COUNT(*) AS n FROM refunds WHERE manual_intervention = 1 AND state IN ('RECEIVED', 'PENDING')",
    );
    const [lapsed] =
      m.connection.options.type === 'mysql'
        ? await m.query<CountRow[]>(
            'SELECT (SELECT COUNT(*) FROM payments p WHERE p.owner_instance IS NOT NULL AND NOT EXISTS (SELECT 1 FROM instance_leases l WHERE l.instance_id = p.owner_instance AND l.expires_at > ?)) + ' +
              "(SELECT COUNT(*) FROM refunds r WHERE r.owner_instance IS NOT NULL AND r.state IN ('RECEIVED', 'PENDING') AND r.manual_intervention = 0 " +
              'AND NOT EXISTS (SELECT 1 FROM instance_leases l WHERE l.instance_id = r.owner_instance AND l.expires_at > ?)) AS n',
            [utcText(now), utcText(now)],
          )
        : [];
    const openInterventions = byLabel(interventions);
    const stuckRefunds = Number(refunds?.n ?? 0);
    if (stuckRefunds > 0) openInterventions['refund-gave-up'] = stuckRefunds;
    return {
      outboxBacklog: Number(outbox?.n ?? 0),
      outboxOldestAgeMs: ageMs(outbox?.oldest, now),
      cancelJobs: byLabel(jobs),
      pendingCancels: Number(pending?.n ?? 0),
      pendingCancelOldestAgeMs: ageMs(pending?.oldest, now),
      openInterventions,
      paymentsOfLapsedOwners: Number(lapsed?.n ?? 0),
    };
  });
}

/** Only the outbox's oldest unrelayed row: what readiness needs, in one indexed query. */
export async function readOutboxOldestAgeMs(uow: UnitOfWork, now: Date = new Date()): Promise<number> {
  const [row] = await uow.read((m) =>
    m.query<CountRow[]>('SELECT MIN(created_at) AS oldest FROM outbox WHERE relayed_at IS NULL'),
  );
  return ageMs(row?.oldest, now);
}

function byLabel(rows: CountRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[String(row.label)] = Number(row.n);
  return counts;
}

function ageMs(oldest: ColumnValue, now: Date): number {
  if (oldest === null || oldest === undefined) return 0;
  return Math.max(0, now.getTime() - dateFrom(oldest).getTime());
}
