import type { OutboxMessage, PaymentEvent } from '../../payments/application/ports';
import type { SqlStatement, SqlValue } from '../sql/sql-session';
import { nullable, utcText } from '../sql/sql-values';

const EVENT_INSERT =
  'INSERT INTO `payment_events` (`payment_id`, `refund_id`, `at`, `type`, `from_state`, `to_state`, `api`, `request_id`, `latency_ms`, `outcome`, `code`, `detail`) VALUES ';
const OUTBOX_INSERT =
  'INSERT INTO `outbox` (`kind`, `message_key`, `payload`, `created_at`, `relayed_at`) VALUES ';

/** One multi-row INSERT for a step's history lines; free text is cut to its column's width. */
export function insertEvents(events: readonly PaymentEvent[]): SqlStatement[] {
  if (events.length === 0) return [];
  const params = events.flatMap((e): SqlValue[] => [
    e.paymentId,
    nullable(e.refundId),
    utcText(e.at),
    e.type,
    nullable(e.fromState),
    nullable(e.toState),
    nullable(e.api?.slice(0, 64)),
    nullable(e.requestId),
    e.latencyMs === undefined ? null : Math.round(e.latencyMs),
    nullable(e.outcome),
    nullable(e.code?.slice(0, 64)),
    nullable(e.detail?.slice(0, 255)),
  ]);
  return [{ sql: EVENT_INSERT + rows(events.length, 12), params }];
}

export function insertOutbox(messages: readonly OutboxMessage[], at: Date): SqlStatement[] {
  if (messages.length === 0) return [];
  const params = messages.flatMap((m): SqlValue[] => [
    m.kind,
    m.key,
    JSON.stringify(m.payload),
    utcText(at),
    null,
  ]);
  return [{ sql: OUTBOX_INSERT + rows(messages.length, 5), params }];
}

function rows(count: number, width: number): string {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: count }, () => row).join(', ');
}
