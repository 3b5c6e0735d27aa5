/**
 * The retention prune on a real database: only what is final and older than the cutoff goes; pending
 * work (unrelayed outbox rows, a cancel Alipay has not confirmed, a refund still being retried, a payment
 * flagged for a person, pending or unresolved dead jobs) and everything recent stays.
 */
import { randomUUID } from 'node:crypto';
import { utcText } from '../../../src/persistence/sql/sql-values';
import { pruneFinalRecords } from '../../../src/operations/retention/prune-final-records';
import { RetentionJob } from '../../../src/operations/retention/retention-job';
import { createLogger } from '../../../src/logging/logger';
import { DATABASE_KINDS, useMigratedDatabase } from '../../support/databases';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const OLD = new Date(NOW.getTime() - 40 * DAY);
const RECENT = new Date(NOW.getTime() - 1 * DAY);
const CUTOFF = new Date(NOW.getTime() - 30 * DAY);
const NOTHING = {
  outbox: 0,
  payment_events: 0,
  cancel_jobs: 0,
  early_reversals: 0,
  merchant_api_idempotency: 0,
  webhook_delivery_attempts: 0,
  webhook_deliveries: 0,
};

let stan = 0;

describe.each(DATABASE_KINDS)('retention prune on %s', (_name, create) => {
  const database = useMigratedDatabase(create);
  const query = <T = unknown>(sql: string, params?: unknown[]) => database.dataSource.query<T>(sql, params);

  async function payment(
    state: string,
    at: Date,
    extra: { delivery?: string; manual?: number } = {},
  ): Promise<{ id: string; requestId: string }> {
    const id = randomUUID();
    const requestId = `PR${id.replace(/-/g, '')}`;
    stan += 1;
    await query(
      `INSERT INTO payments (id, payment_request_id, terminal_id, merchant_id, stan, local_date_time, rrn, request_mti,
        processing_code, amount_minor, currency_numeric, channel, state, delivery, manual_intervention, created_at,
        updated_at, merchant_deadline_at, payment_code_masked, payment_code_hash, refunded_minor, reserved_refund_minor,
        gateway_deadline_at, version)
       VALUES (?, ?, 'TERM0001', 'MERCHANT0000001', ?, '1201120000', ?, '0200', '000000', 100, '840', 'ams', ?, ?, ?, ?, ?, ?,
        '28**********3000', 'h', 0, 0, ?, 1)`,
      [
        id,
        requestId,
        String(stan).padStart(6, '0'),
        `R${String(stan).padStart(11, '0')}`,
        state,
        extra.delivery ?? 'delivered',
        extra.manual ?? 0,
        utcText(at),
        utcText(at),
        utcText(at),
        utcText(at),
      ],
    );
    await event(id, at);
    return { id, requestId };
  }

  async function event(paymentId: string, at: Date): Promise<void> {
    await query("INSERT INTO payment_events (payment_id, at, type, detail) VALUES (?, ?, 'NOTE', 'x')", [
      paymentId,
      utcText(at),
    ]);
  }

  async function outbox(key: string, createdAt: Date, relayed: boolean): Promise<void> {
    await query(
      "INSERT INTO outbox (kind, message_key, payload, created_at, relayed_at) VALUES ('CANCEL', ?, '{}', ?, ?)",
      [key, utcText(createdAt), relayed ? utcText(createdAt) : null],
    );
  }

  async function job(key: string, state: string, at: Date): Promise<void> {
    await query(
      'INSERT INTO cancel_jobs (payment_request_id, payload, attempts, state, first_seen_at, next_attempt_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)',
      [key, '{}', state, utcText(at), utcText(at), utcText(at)],
    );
  }

  async function count(table: string, where: string, params: unknown[]): Promise<number> {
    const [row] = await query<Array<{ n: number | string }>>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`,
      params,
    );
    return Number(row.n);
  }

  it('deletes old final history, relayed outbox rows, finished jobs and early reversals; keeps the rest', async () => {
    const approvedOld = await payment('APPROVED', OLD);
    const cancelledOld = await payment('CANCELLED', OLD);
    const declinedRecent = await payment('DECLINED', RECENT);
    const stuckCancel = await payment('CANCEL_REQUESTED', OLD);
    const undelivered = await payment('APPROVED', OLD, { delivery: 'undelivered' });
    const flagged = await payment('DECLINED', OLD, { manual: 1 });
    const refundPending = await payment('APPROVED', OLD);
    await query(
      `INSERT INTO refunds (id, refund_request_id, payment_id, terminal_id, merchant_id, stan, local_date_time, rrn, request_mti,
        processing_code, amount_minor, currency_numeric, channel, state, delivery, manual_intervention, created_at, updated_at,
        merchant_deadline_at, attempts, retry_until, version)
       VALUES (?, ?, ?, 'TERM0001', 'MERCHANT0000001', '999999', '1201120000', 'RFRRN0000001', '0200', '200000', 50, '840', 'ams',
        'PENDING', 'pending', 1, ?, ?, ?, 3, ?, 1)`,
      [
        randomUUID(),
        `RF${randomUUID().replace(/-/g, '')}`,
        refundPending.id,
        utcText(OLD),
        utcText(OLD),
        utcText(OLD),
        utcText(OLD),
      ],
    );

    await outbox(cancelledOld.requestId, OLD, true);
    await outbox(stuckCancel.requestId, OLD, true);
    await outbox('UNRELAYED', OLD, false);
    await outbox(declinedRecent.requestId, RECENT, true);
    await job(cancelledOld.requestId, 'done', OLD);
    await job(stuckCancel.requestId, 'dead', OLD);
    await job('PENDINGJOB', 'pending', OLD);
    await job('RECENTDONE', 'done', RECENT);
    await query(
      `INSERT INTO early_reversals (id, reversal_key, terminal_id, merchant_id, original_stan, reversal_mti, reversal_local_date_time, received_at)
       VALUES (?, 'old', 'TERM0001', 'MERCHANT0000001', '000001', '0420', '1201120000', ?), (?, 'new', 'TERM0001', 'MERCHANT0000001', '000002', '0420', '1201120000', ?)`,
      [randomUUID(), utcText(OLD), randomUUID(), utcText(RECENT)],
    );

    // A batch of 1 makes every table go through several batches.
    const result = await pruneFinalRecords(database.uow, CUTOFF, 1);
    expect(result).toEqual({ ...NOTHING, outbox: 1, payment_events: 2, cancel_jobs: 1, early_reversals: 1 });

    for (const gone of [approvedOld, cancelledOld])
      expect(await count('payment_events', 'payment_id = ?', [gone.id])).toBe(0);
    for (const kept of [declinedRecent, stuckCancel, undelivered, flagged, refundPending])
      expect(await count('payment_events', 'payment_id = ?', [kept.id])).toBe(1);
    expect(await count('payments', '1 = 1', [])).toBe(7);
    expect(await count('outbox', 'message_key = ?', [cancelledOld.requestId])).toBe(0);
    expect(
      await count('outbox', 'message_key IN (?, ?, ?)', [
        stuckCancel.requestId,
        'UNRELAYED',
        declinedRecent.requestId,
      ]),
    ).toBe(3);
    expect(await count('cancel_jobs', '1 = 1', [])).toBe(3);
    expect(await count('cancel_jobs', 'payment_request_id = ?', [cancelledOld.requestId])).toBe(0);
    expect(await count('early_reversals', "reversal_key = 'new'", [])).toBe(1);
    expect(await count('early_reversals', '1 = 1', [])).toBe(1);

    // Nothing left to prune: a second run deletes nothing.
    expect(await pruneFinalRecords(database.uow, CUTOFF, 1)).toEqual(NOTHING);
  });

  it("deletes the merchant API's old idempotency records and finished deliveries with their attempts; keeps pending and recent ones", async () => {
    const idempotency = (key: string, at: Date) =>
      query(
        "INSERT INTO merchant_api_idempotency (client_id, idempotency_key, request_line, body_hash, status_code, response, created_at) VALUES ('client-1', ?, 'POST /pay/v1/payments', 'h', 201, '{}', ?)",
        [key, utcText(at)],
      );
    const delivery = async (target: string, status: string, at: Date, attempts: number): Promise<void> => {
      await query(
        `INSERT INTO webhook_deliveries (client_id, event_type, target_type, target_id, url, body, status, attempts, schedule_step, next_trigger, created_at)
         VALUES ('client-1', 'payment.approved', 'payment', ?, 'https://hooks.example/a', '{}', ?, ?, 0, 'automatic', ?)`,
        [target, status, attempts, utcText(at)],
      );
      const [row] = await query<Array<{ id: number }>>('SELECT id FROM webhook_deliveries WHERE target_id = ?', [target]);
      for (let i = 0; i < attempts; i++)
        await query("INSERT INTO webhook_delivery_attempts (delivery_id, trigger_kind, attempted_at, http_status, duration_ms) VALUES (?, 'automatic', ?, 500, 3)", [row.id, utcText(at)]);
    };
    await idempotency('old-key', OLD);
    await idempotency('recent-key', RECENT);
    await delivery('old-delivered', 'delivered', OLD, 2);
    await delivery('old-gave-up', 'gave-up', OLD, 3);
    await delivery('old-pending', 'pending', OLD, 4);
    await delivery('recent-delivered', 'delivered', RECENT, 1);

    const result = await pruneFinalRecords(database.uow, CUTOFF, 2);
    expect(result).toMatchObject({ merchant_api_idempotency: 1, webhook_delivery_attempts: 5, webhook_deliveries: 2 });
    expect((await query<Array<{ idempotency_key: string }>>('SELECT idempotency_key FROM merchant_api_idempotency')).map((r) => r.idempotency_key)).toEqual(['recent-key']);
    const kept = await query<Array<{ target_id: string; n: number | string }>>(
      'SELECT d.target_id, (SELECT COUNT(*) FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) AS n FROM webhook_deliveries d ORDER BY d.target_id',
    );
    expect(kept.map((r) => [r.target_id, Number(r.n)])).toEqual([['old-pending', 4], ['recent-delivered', 1]]);
    expect(await pruneFinalRecords(database.uow, CUTOFF, 2)).toEqual(NOTHING);
  });

  it('the job prunes with RETENTION_DAYS from its clock and reports what it deleted', async () => {
    const old = await payment('DECLINED', OLD);
    const reported: unknown[] = [];
    const job = new RetentionJob(
      database.uow,
      { retentionDays: 30, intervalMs: 60_000, batchSize: 100 },
      createLogger('silent'),
      (r) => reported.push(r),
    );
    const result = await job.runOnce(NOW);
    expect(result?.payment_events).toBe(1);
    expect(reported).toEqual([result]);
    expect(await count('payment_events', 'payment_id = ?', [old.id])).toBe(0);
  });
});
