/**
 * Webhook signing: `Webhook-Signature: t=<unix seconds>, v1=<hex HMAC-SHA256 of "<t>.<body>">` under the API
 * client's secret. The timestamp is part of what is signed, so a receiver can refuse old replays.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SIGNATURE_HEADER = 'Webhook-Signature';

export function webhookSignature(body: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t}, v1=${v1}`;
}

/** A receiver's check (used by the tests and shown in docs/merchant-api.md): signature and freshness. */
export function verifyWebhook(body: string, header: string | undefined, secret: string, now: Date, toleranceMs = 300_000): boolean {
  const match = /^t=(\d{1,12}), v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(now.getTime() - t * 1000) > toleranceMs) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex'));
  const given = Buffer.from(match[2]);
  return timingSafeEqual(expected, given);
}
