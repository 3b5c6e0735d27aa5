/**
 * The cancel order: the one message the payments engine hands the reversal workers. The engine writes it
 * (cancelOrderFor) into the outbox in the same transaction as CANCEL_REQUESTED; a worker reads it back
 * (readCancelOrder) from Kafka or the in-process queue. It names the payment and why; the worker reads
 * amount, channel and Alipay's transaction id from the stored payment, which is never older than a copy.
 */
import type { CancelReason, Payment } from '../domain/payment';

/** JSON-safe. Orders written by earlier versions carry more fields; readers ignore them. */
export interface CancelOrder {
  paymentId: string;
  /** Also the message key: Kafka partitions and consumers dedupe on it. */
  paymentRequestId: string;
  /** The merchant whose channel cancels it. */
  merchantId: string;
  reason: CancelReason;
  /** ISO 8601 UTC, for ops (how long the order has waited). */
  requestedAt: string;
}

/** A message stored with a state change and relayed later (Kafka or the in-process queue) by src/reversals. */
export interface OutboxMessage {
  kind: 'CANCEL';
  /** The paymentRequestId: consumers are idempotent by it. */
  key: string;
  payload: CancelOrder;
}

export function cancelOrderFor(payment: Payment, reason: CancelReason, requestedAt: Date): OutboxMessage {
  return {
    kind: 'CANCEL',
    key: payment.paymentRequestId,
    payload: {
      paymentId: payment.id,
      paymentRequestId: payment.paymentRequestId,
      merchantId: payment.merchantId,
      reason,
      requestedAt: requestedAt.toISOString(),
    },
  };
}

export type ReadOrder = { ok: true; order: CancelOrder } | { ok: false; problem: string };

const FIELDS = ['paymentId', 'paymentRequestId', 'merchantId', 'reason', 'requestedAt'] as const;

/** Reads a relayed CANCEL payload (JSON text) back, checking it against its message key. */
export function readCancelOrder(payload: string, key: string): ReadOrder {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'payload is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'payload is not a JSON object' };
  }
  const o = value as Record<string, unknown>;
  const missing = FIELDS.filter((name) => typeof o[name] !== 'string' || o[name] === '');
  if (missing.length > 0) return { ok: false, problem: `payload lacks ${missing.join(', ')}` };
  // The key is what Kafka partitions and consumers dedupe on; a payload naming another payment is corrupt.
  if (o.paymentRequestId !== key)
    return { ok: false, problem: 'payload paymentRequestId differs from the message key' };
  const order = Object.fromEntries(FIELDS.map((name) => [name, o[name]])) as unknown as CancelOrder;
  return { ok: true, order };
}
