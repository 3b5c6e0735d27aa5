/**
 * The notification log (table alipay_notifications): every notification the listener read, verified or
 * not, with what the switch answered. Payloads are stored with signatures and tokens masked. It also
 * answers "was this notify id already taken in?", so a resend is answered as the first one was.
 */
import type { ChannelName } from '@switch/alipay';
import { dateFrom, sql, utcText, type ColumnValue, type SqlSession, type SqlStatement, type SqlValue } from '../persistence/sql';
import type { UnitOfWork } from '../persistence/unit-of-work';

export type Verification =
  'valid' | 'malformed' | 'unknown-identity' | 'bad-signature' | 'notify-verify-failed';

export interface NotificationEntry {
  channel: ChannelName;
  notifyId?: string;
  kind?: string;
  paymentRequestId?: string;
  paymentId?: string;
  merchantId?: string;
  verification: Verification;
  /** What was done: applied, ignored, acknowledged, duplicate, unknown-payment, amount-mismatch, ... */
  outcome: string;
  duplicate: boolean;
  replyStatus: number;
  /** The protocol reply body sent (success, fail, or AMS's result JSON). */
  reply: string;
  payloadMasked: string;
  receivedAt: Date;
  /**
   * Judged without asking for a first answer (NotificationIntake): the row itself looks for a settled first
   * answer with the same id when it is inserted and, if there is one, is written as its duplicate, with
   * its outcome, reply status and payment, as a resend answered from firstAnswer is.
   */
  firstAnswerOnWrite?: boolean;
}

/**
 * Outcomes a resend of the same notify id is answered with at once. A refused notification is judged again
 * in full (the same checks refuse it again, and nothing changed); so is one that failed on an error.
 */
const SETTLED_OUTCOMES = ['applied', 'ignored', 'acknowledged'];

const COLUMNS = `channel, notify_id, kind, payment_request_id, payment_id, merchant_id,
  verification, outcome, duplicate, reply_status, reply, payload_masked, received_at`;

const FIRST_SETTLED = `SELECT outcome, reply_status, payment_id FROM alipay_notifications
  WHERE channel = ? AND notify_id = ? AND verification = 'valid' AND duplicate = 0
    AND outcome IN (${SETTLED_OUTCOMES.map(() => '?').join(', ')})
  ORDER BY id LIMIT 1`;

/** The entry's values in the order of COLUMNS. */
function valuesOf(e: NotificationEntry): SqlValue[] {
  return [
    e.channel,
    e.notifyId ?? null,
    e.kind ?? null,
    e.paymentRequestId ?? null,
    e.paymentId ?? null,
    e.merchantId ?? null,
    e.verification,
    e.outcome,
    e.duplicate ? 1 : 0,
    e.replyStatus,
    e.reply.slice(0, 255),
    e.payloadMasked,
    utcText(e.receivedAt),
  ];
}

function row(e: NotificationEntry): SqlStatement {
  return sql(`INSERT INTO alipay_notifications (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ...valuesOf(e));
}

/**
 * The row as `row` writes it, or as the duplicate of the first settled answer with the same id, if any:
 * then with that answer's payment, outcome and reply status.
 */
function resolvedRow(e: NotificationEntry): SqlStatement {
  return sql(
    `INSERT INTO alipay_notifications (${COLUMNS})
     SELECT ?, ?, ?, ?, CASE WHEN f.outcome IS NULL THEN ? ELSE f.payment_id END, ?, ?,
            COALESCE(f.outcome, ?), CASE WHEN f.outcome IS NULL THEN ? ELSE 1 END, COALESCE(f.reply_status, ?),
            ?, ?, ?
       FROM (SELECT 1 AS one) AS this_one LEFT JOIN (${FIRST_SETTLED}) AS f ON 1 = 1`,
    ...valuesOf(e),
    e.channel,
    e.notifyId ?? null,
    ...SETTLED_OUTCOMES,
  );
}

export interface FirstAnswer {
  outcome: string;
  replyStatus: number;
  paymentId?: string;
}

export class NotificationLog {
  constructor(
    private readonly uow: UnitOfWork,
    /** The hot path (every notification): the SQL session, which batches reads and unhurried writes. */
    private readonly session: SqlSession,
  ) {}

  /** Unhurried: the row may wait a few milliseconds to share a round trip with other writes. */
  async add(e: NotificationEntry): Promise<void> {
    await this.session.write({ unhurried: true, writes: [e.firstAnswerOnWrite ? resolvedRow(e) : row(e)] });
  }

  /** The first verified notification with this id whose answer is settled, if any. */
  async firstAnswer(channel: ChannelName, notifyId: string): Promise<FirstAnswer | undefined> {
    const rows = await this.session.select<{ outcome: string; reply_status: number | string; payment_id: string | null }>(
      sql(FIRST_SETTLED, channel, notifyId, ...SETTLED_OUTCOMES),
    );
    const first = rows[0];
    if (!first) return undefined;
    return {
      outcome: first.outcome,
      replyStatus: Number(first.reply_status),
      ...(first.payment_id ? { paymentId: first.payment_id } : {}),
    };
  }

  /** Recent entries, newest first (tests and the admin API). */
  async list(
    filter: {
      channel?: ChannelName;
      outcome?: string;
      paymentRequestId?: string;
      beforeId?: number;
      limit?: number;
    } = {},
  ): Promise<LoggedNotification[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.paymentRequestId) {
      where.push('payment_request_id = ?');
      params.push(filter.paymentRequestId);
    }
    if (filter.beforeId !== undefined) {
      where.push('id < ?');
      params.push(filter.beforeId);
    }
    if (filter.channel) {
      where.push('channel = ?');
      params.push(filter.channel);
    }
    if (filter.outcome) {
      where.push('outcome = ?');
      params.push(filter.outcome);
    }
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1_000);
    const rows = await this.uow.read<Array<Record<string, ColumnValue>>>((m) =>
      m.query(
        `SELECT * FROM alipay_notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY id DESC LIMIT ${limit}`,
        params,
      ),
    );
    return rows.map(toLogged);
  }
}

export interface LoggedNotification {
  id: string;
  channel: string;
  notifyId: string | null;
  kind: string | null;
  paymentRequestId: string | null;
  paymentId: string | null;
  verification: string;
  outcome: string;
  duplicate: boolean;
  replyStatus: number;
  reply: string;
  payloadMasked: string;
  receivedAt: string;
}

function toLogged(r: Record<string, ColumnValue>): LoggedNotification {
  const text = (v: ColumnValue): string | null => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id),
    channel: String(r.channel),
    notifyId: text(r.notify_id),
    kind: text(r.kind),
    paymentRequestId: text(r.payment_request_id),
    paymentId: text(r.payment_id),
    verification: String(r.verification),
    outcome: String(r.outcome),
    duplicate: Number(r.duplicate) === 1,
    replyStatus: Number(r.reply_status),
    reply: String(r.reply),
    payloadMasked: String(r.payload_masked),
    receivedAt: dateFrom(r.received_at).toISOString(),
  };
}
