import type { OutboxMessage, PaymentEvent } from '../../payments/application/ports';
import { InsertRows } from '../sql/insert-rows';
import type { SqlStatement, SqlValue } from '../sql/sql-session';
import { nullable, utcText } from '../sql/sql-values';

const EVENTS = new InsertRows('payment_events', [
  'payment_id',
  'refund_id',
  'at',
  'type',
  'from_state',
  'to_state',
  'api',
  'request_id',
  'latency_ms',
  'outcome',
  'code',
  'detail',
]);
const OUTBOX = new InsertRows('outbox', ['kind', 'message_key', 'payload', 'created_at', 'relayed_at']);

/** One multi-row INSERT for a step's history lines; free text is cut to its column's width. */
export function insertEvents(events: readonly PaymentEvent[]): SqlStatement[] {
  if (events.length === 0) return [];
  const rows = events.map((e): SqlValue[] => [
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
  return [EVENTS.of(rows)];
}

export function insertOutbox(messages: readonly OutboxMessage[], at: Date): SqlStatement[] {
  if (messages.length === 0) return [];
  const rows = messages.map((m): SqlValue[] => [m.kind, m.key, JSON.stringify(m.payload), utcText(at), null]);
  return [OUTBOX.of(rows)];
}
