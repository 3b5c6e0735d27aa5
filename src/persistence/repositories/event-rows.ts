import { EntityManager } from 'typeorm';
import { OutboxMessage, PaymentEvent } from '../../payments/application/ports';
import { OutboxMessageEntity, PaymentEventEntity } from '../entities';

export async function appendEvents(manager: EntityManager, events: readonly PaymentEvent[]): Promise<void> {
  if (events.length === 0) return;
  await manager.insert(
    PaymentEventEntity,
    events.map((e) => ({
      paymentId: e.paymentId,
      refundId: e.refundId ?? null,
      at: e.at,
      type: e.type,
      fromState: e.fromState ?? null,
      toState: e.toState ?? null,
      api: e.api?.slice(0, 64) ?? null,
      requestId: e.requestId ?? null,
      latencyMs: e.latencyMs === undefined ? null : Math.round(e.latencyMs),
      outcome: e.outcome ?? null,
      code: e.code?.slice(0, 64) ?? null,
      detail: e.detail?.slice(0, 255) ?? null,
    })),
  );
}

export async function appendOutbox(
  manager: EntityManager,
  messages: readonly OutboxMessage[],
  at: Date,
): Promise<void> {
  if (messages.length === 0) return;
  await manager.insert(
    OutboxMessageEntity,
    messages.map((m) => ({
      kind: m.kind,
      messageKey: m.key,
      payload: JSON.stringify(m.payload),
      createdAt: at,
      relayedAt: null,
    })),
  );
}
