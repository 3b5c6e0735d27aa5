/**
 * How often to ask Alipay about a payment that is processing or in doubt. Each channel documents its own:
 * - AMS / Alipay+: every 3 s (10-20 times).
 * - Open Platform: wait 5 s, then every 5 s (trade.pay code 10003).
 * - MAPI: first 3-4 s after spot.pay, then every 3-4 s (3.5 s taken).
 * Inquiries continue until the gateway timeout, which then cancels whatever is still open.
 */
import type { ChannelName } from './payment';

export interface InquiryRhythm {
  /** Delay from the pay call's start to the first inquiry. */
  readonly firstDelayMs: number;
  readonly intervalMs: number;
}

export const DEFAULT_INQUIRY_RHYTHMS: Readonly<Record<ChannelName, InquiryRhythm>> = {
  ams: { firstDelayMs: 3_000, intervalMs: 3_000 },
  openapi: { firstDelayMs: 5_000, intervalMs: 5_000 },
  mapi: { firstDelayMs: 3_500, intervalMs: 3_500 },
};

/** Every rhythm multiplied by `factor` (tests shrink them; rounded, at least 1 ms). */
export function scaleRhythms(
  rhythms: Readonly<Record<ChannelName, InquiryRhythm>>,
  factor: number,
): Record<ChannelName, InquiryRhythm> {
  const scale = (r: InquiryRhythm): InquiryRhythm => ({
    firstDelayMs: Math.max(1, Math.round(r.firstDelayMs * factor)),
    intervalMs: Math.max(1, Math.round(r.intervalMs * factor)),
  });
  return { ams: scale(rhythms.ams), openapi: scale(rhythms.openapi), mapi: scale(rhythms.mapi) };
}

/** When inquiry number `attempt` (0-based) is due, counted from the pay call's start. */
export function inquiryDueAt(rhythm: InquiryRhythm, payStartedAt: Date, attempt: number): Date {
  return new Date(payStartedAt.getTime() + rhythm.firstDelayMs + attempt * rhythm.intervalMs);
}
