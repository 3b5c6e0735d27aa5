/** Reads a CANCEL message (the outbox payload the payments engine wrote) back into a CancelOrder. */
import type { CancelOrder } from '../../payments/application/ports/payment.repository.port';

export type ReadOrder = { ok: true; order: CancelOrder } | { ok: false; problem: string };

const CHANNELS = new Set(['ams', 'openapi', 'mapi']);

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
  const missing = [
    'paymentId',
    'paymentRequestId',
    'merchantId',
    'terminalId',
    'currencyNumeric',
    'reason',
    'requestedAt',
  ].filter((name) => {
    const value = o[name];
    return typeof value !== 'string' || value.length === 0;
  });
  if (missing.length > 0) return { ok: false, problem: `payload lacks ${missing.join(', ')}` };
  if (typeof o.channel !== 'string' || !CHANNELS.has(o.channel))
    return { ok: false, problem: 'payload has no known channel' };
  if (typeof o.amountMinor !== 'number' || !Number.isSafeInteger(o.amountMinor) || o.amountMinor <= 0) {
    return { ok: false, problem: 'payload has no whole positive amountMinor' };
  }
  if (o.alipayTransactionId !== undefined && typeof o.alipayTransactionId !== 'string') {
    return { ok: false, problem: 'alipayTransactionId is not text' };
  }
  // The key is what Kafka partitions and consumers dedupe on; a payload naming another payment is corrupt.
  if (o.paymentRequestId !== key)
    return { ok: false, problem: 'payload paymentRequestId differs from the message key' };
  return { ok: true, order: value as CancelOrder };
}
