/** Builders for event-history lines; every state change and every Alipay call leaves one. */
import type { ChannelOutcome } from '@switch/alipay';
import type { PaymentEvent } from './ports/payment.repository.port';

export interface Subject {
  paymentId: string;
  refundId?: string;
}

export function stateChanged(
  subject: Subject,
  at: Date,
  fromState: string | undefined,
  toState: string,
  detail?: string,
): PaymentEvent {
  return withoutUndefined({ ...subject, at, type: 'STATE_CHANGED', fromState, toState, detail });
}

export function note(subject: Subject, at: Date, detail: string): PaymentEvent {
  return withoutUndefined({ ...subject, at, type: 'NOTE', detail });
}

/** One Alipay call: which API, which request id, how long, and what came back (never the payment code). */
export function alipayCall(
  subject: Subject,
  at: Date,
  api: string,
  requestId: string,
  outcome: ChannelOutcome,
): PaymentEvent {
  const raw = outcome.raw;
  const base = {
    ...subject,
    at,
    type: 'ALIPAY_CALL' as const,
    api: raw?.api ?? api,
    requestId,
    latencyMs: raw?.latencyMs,
    outcome: outcome.kind,
  };
  switch (outcome.kind) {
    case 'success':
      return withoutUndefined({
        ...base,
        code: outcome.raw.resultCode,
        detail: outcome.alipayTransactionId ? `alipay id ${outcome.alipayTransactionId}` : undefined,
      });
    case 'failure':
      return withoutUndefined({
        ...base,
        code: outcome.code,
        detail: `${outcome.reason}: ${outcome.message}`,
      });
    case 'processing':
      return withoutUndefined({ ...base, code: outcome.raw.resultCode });
    case 'unknown':
      return withoutUndefined({ ...base, code: outcome.cause, detail: outcome.detail.slice(0, 200) });
  }
}

function withoutUndefined(event: PaymentEvent): PaymentEvent {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (value !== undefined) out[key] = value;
  return out as unknown as PaymentEvent;
}
