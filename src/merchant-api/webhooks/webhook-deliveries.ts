/**
 * Webhook deliveries (tables webhook_deliveries, webhook_delivery_attempts): one row per event to push,
 * written in the same transaction that marks the event notified, then one attempt row per POST. Everything
 * the dispatcher needs is in these rows, so a restart resumes where the last process stopped.
 */
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { count, isoTime, optionalText, rows, text, utcText, type Row } from '../../admin/http/sql';

export type DeliveryStatus = 'pending' | 'delivered' | 'gave-up';
export type AttemptTrigger = 'automatic' | 'resend';

export interface NewDelivery {
  clientId: string;
  eventType: string;
  targetType: 'payment' | 'refund';
  targetId: string;
  url: string;
  body: string;
}

export interface DueDelivery {
  id: number;
  clientId: string;
  url: string;
  body: string;
  scheduleStep: number;
  trigger: AttemptTrigger;
}

export interface AttemptResult {
  at: Date;
  httpStatus?: number;
  error?: string;
  durationMs: number;
  trigger: AttemptTrigger;
}

export interface DeliveryView {
  id: string;
  clientId: string;
  eventType: string;
  targetType: string;
  targetId: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  body: unknown;
  attemptLog: Array<{ at: string; trigger: string; httpStatus: number | null; error: string | null; durationMs: number }>;
}

export class WebhookDeliveries {
  constructor(private readonly uow: UnitOfWork) {}

  async add(m: EntityManager, delivery: NewDelivery, now: Date): Promise<void> {
    await m.query(
      'INSERT INTO `webhook_deliveries` (`client_id`, `event_type`, `target_type`, `target_id`, `url`, `body`, `status`, `attempts`, `schedule_step`, `next_trigger`, `next_attempt_at`, `created_at`) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)',
      [delivery.clientId, delivery.eventType, delivery.targetType, delivery.targetId, delivery.url, delivery.body, 'pending', 'automatic', utcText(now), utcText(now)],
    );
  }

  async due(now: Date, limit: number): Promise<DueDelivery[]> {
    const found = await this.uow.read((m) =>
      rows(m, `SELECT * FROM \`webhook_deliveries\` WHERE \`status\` = 'pending' AND \`next_attempt_at\` <= ? ORDER BY \`next_attempt_at\`, \`id\` LIMIT ${limit}`, [utcText(now)]),
    );
    return found.map((r) => ({
      id: count(r.id),
      clientId: text(r.client_id),
      url: text(r.url),
      body: text(r.body),
      scheduleStep: count(r.schedule_step),
      trigger: text(r.next_trigger) === 'resend' ? 'resend' : 'automatic',
    }));
  }

  /**
   * Takes a due delivery for one attempt by moving its next attempt to `until`: another instance's round
   * finds it not due, and one that read it as due too fails this UPDATE's condition. If the taker dies
   * mid-attempt, the delivery is due again at `until`.
   */
  async claim(id: number, now: Date, until: Date): Promise<boolean> {
    const taken = await this.uow.run((m) =>
      m
        .createQueryBuilder()
        .update('webhook_deliveries')
        .set({ next_attempt_at: utcText(until) })
        .where("id = :id AND status = 'pending' AND next_attempt_at <= :now", { id, now: utcText(now) })
        .execute(),
    );
    return taken.affected === 1;
  }

  /** The attempt and what follows it: delivered, another try at `nextAttemptAt`, or given up. */
  async recordAttempt(id: number, attempt: AttemptResult, next: { status: DeliveryStatus; nextAttemptAt?: Date; scheduleStep: number }): Promise<void> {
    await this.uow.run(async (m) => {
      await m.query(
        'INSERT INTO `webhook_delivery_attempts` (`delivery_id`, `trigger_kind`, `attempted_at`, `http_status`, `error`, `duration_ms`) VALUES (?, ?, ?, ?, ?, ?)',
        [id, attempt.trigger, utcText(attempt.at), attempt.httpStatus ?? null, attempt.error?.slice(0, 255) ?? null, attempt.durationMs],
      );
      await m.query(
        'UPDATE `webhook_deliveries` SET `attempts` = `attempts` + 1, `status` = ?, `schedule_step` = ?, `next_trigger` = ?, `next_attempt_at` = ?, `last_http_status` = ?, `last_error` = ?, `delivered_at` = ? WHERE `id` = ?',
        [
          next.status,
          next.scheduleStep,
          'automatic',
          next.nextAttemptAt ? utcText(next.nextAttemptAt) : null,
          attempt.httpStatus ?? null,
          attempt.error?.slice(0, 255) ?? null,
          next.status === 'delivered' ? utcText(attempt.at) : null,
          id,
        ],
      );
    });
  }

  /** An operator's re-send: one attempt now, then the backoff schedule from its start. Undefined for an unknown id. */
  async resend(m: EntityManager, id: string, now: Date): Promise<{ before: DeliveryView; after: DeliveryView } | undefined> {
    const before = await this.view(m, id);
    if (!before) return undefined;
    await m.query("UPDATE `webhook_deliveries` SET `status` = 'pending', `schedule_step` = 0, `next_trigger` = 'resend', `next_attempt_at` = ? WHERE `id` = ?", [utcText(now), id]);
    return { before, after: (await this.view(m, id))! };
  }

  async list(filter: { clientId?: string; status?: string; targetId?: string }, window: { limit: number; beforeId?: number }): Promise<DeliveryView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (filter.clientId) add('`client_id` = ?', filter.clientId);
    if (filter.status) add('`status` = ?', filter.status);
    if (filter.targetId) add('`target_id` = ?', filter.targetId);
    if (window.beforeId !== undefined) add('`id` < ?', window.beforeId);
    return this.uow.read(async (m) => {
      const found = await rows(m, `SELECT * FROM \`webhook_deliveries\`${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY \`id\` DESC LIMIT ${window.limit}`, params);
      return Promise.all(found.map((r) => this.withAttempts(m, r)));
    });
  }

  private async view(m: EntityManager, id: string): Promise<DeliveryView | undefined> {
    const [row] = await rows(m, 'SELECT * FROM `webhook_deliveries` WHERE `id` = ?', [id]);
    return row ? this.withAttempts(m, row) : undefined;
  }

  private async withAttempts(m: EntityManager, r: Row): Promise<DeliveryView> {
    const attempts = await rows(m, 'SELECT * FROM `webhook_delivery_attempts` WHERE `delivery_id` = ? ORDER BY `id`', [r.id]);
    return {
      id: text(r.id),
      clientId: text(r.client_id),
      eventType: text(r.event_type),
      targetType: text(r.target_type),
      targetId: text(r.target_id),
      url: text(r.url),
      status: text(r.status) as DeliveryStatus,
      attempts: count(r.attempts),
      nextAttemptAt: isoTime(r.next_attempt_at) ?? null,
      lastHttpStatus: r.last_http_status === null || r.last_http_status === undefined ? null : count(r.last_http_status),
      lastError: optionalText(r.last_error) ?? null,
      createdAt: isoTime(r.created_at) ?? '',
      deliveredAt: isoTime(r.delivered_at) ?? null,
      body: JSON.parse(text(r.body)) as unknown,
      attemptLog: attempts.map((a) => ({
        at: isoTime(a.attempted_at) ?? '',
        trigger: text(a.trigger_kind),
        httpStatus: a.http_status === null || a.http_status === undefined ? null : count(a.http_status),
        error: optionalText(a.error) ?? null,
        durationMs: count(a.duration_ms),
      })),
    };
  }
}
