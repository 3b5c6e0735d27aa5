/** Every duration the engine uses, in one place, so tests can shrink them. */
import { DEFAULT_INQUIRY_RHYTHMS, type InquiryRhythm } from '../domain/inquiry-rhythm';
import type { ChannelName } from '../domain/payment';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../domain/timeouts';

export interface PaymentsConfig {
  /** From a payment's creation to the switch's own cancel of whatever was not delivered as approved. */
  readonly gatewayTimeoutMs: number;
  readonly inquiryRhythms: Readonly<Record<ChannelName, InquiryRhythm>>;
  /** How long an unknown refund outcome is retried with the same refundRequestId (seed 004: 60 s). */
  readonly refundRetryWindowMs: number;
  /** Gap between refund retries (seed 004: 5-10 s). */
  readonly refundRetryIntervalMs: number;
  /** HMAC key for payment code hashes. */
  readonly paymentCodeHashKey: Buffer;
  /** The engine stops waiting this long before a terminal's deadline so its "in doubt" reply still goes out. */
  readonly replyMarginMs: number;
  /** Pause before a timer task that failed on infrastructure (database down) runs again. */
  readonly retryAfterErrorMs: number;
  /**
   * The ordering point in-app (H5) orders are booked under: their customer sees the result in the Alipay
   * app, no terminal waits for a reply, so an approval of theirs is never "undelivered".
   */
  readonly inAppTerminalId?: string;
  /**
   * This engine's instance among several on one database: it owns the payments it creates and drives only
   * those. Unset (unit tests, tools), the engine owns every payment.
   */
  readonly instanceId?: string;
  /** A request waiting for a payment another instance drives reads the database this often (no event reaches it). */
  readonly ownerPollMs: number;
  /** LEASE_MS: an instance that has not renewed its lease for this long has its payments taken over. */
  readonly leaseMs: number;
  /**
   * The database has room for this instance only (the embedded one): every other owner on record is a
   * process that ran before this one, whose payments are this one's to resume at start, live lease or not.
   */
  readonly soleInstance?: boolean;
}

export function paymentsConfig(
  overrides: Partial<PaymentsConfig> & Pick<PaymentsConfig, 'paymentCodeHashKey'>,
): PaymentsConfig {
  return {
    gatewayTimeoutMs: DEFAULT_GATEWAY_TIMEOUT_MS,
    inquiryRhythms: DEFAULT_INQUIRY_RHYTHMS,
    refundRetryWindowMs: 60_000,
    refundRetryIntervalMs: 7_500,
    replyMarginMs: 250,
    retryAfterErrorMs: 1_000,
    ownerPollMs: 250,
    leaseMs: 15_000,
    ...overrides,
  };
}
