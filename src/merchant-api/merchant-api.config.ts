/**
 * Settings of the merchant REST payment API (/pay/v1, docs/operations.md "Merchant payment API"). Read with
 * the rest of the config, so a bad value stops the start naming the setting.
 */
import type { EnvReader } from '../config/env-reader';
import type { WebhookTargetPolicy } from './webhooks/webhook-targets';

export interface MerchantApiConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
  /** A request whose Request-Time is further than this from the switch's clock is refused (401). */
  readonly clockSkewMs: number;
  /** The gateway's own timeout (seed 004, RESTful model): a payment not final by then is answered PROCESSING. */
  readonly replyTimeoutMs: number;
  /** The merchant's timeout a REST payment carries into the engine: the payment is settled or cancelled after it as a terminal's is. */
  readonly merchantTimeoutMs: number;
  /** Larger request bodies are refused (413) before they are read to the end. */
  readonly maxBodyBytes: number;
  /** How often finished payments and refunds are looked for and due webhook deliveries sent. */
  readonly webhookPollMs: number;
  /** Waits after each failed webhook attempt; when they run out the delivery is given up (an operator can re-send it). */
  readonly webhookBackoffMs: readonly number[];
  /** One webhook attempt's time limit. */
  readonly webhookTimeoutMs: number;
  /** Which addresses and hosts a webhook may reach (webhooks/webhook-targets.ts). */
  readonly webhookTargets: WebhookTargetPolicy;
}

/** Roughly Alipay's own notify rhythm: quick retries first, then widening waits over about a day. */
export const DEFAULT_WEBHOOK_BACKOFF_MS: readonly number[] = [
  15_000, 60_000, 300_000, 900_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000,
];

export function readMerchantApiConfig(
  read: EnvReader,
  timeouts: { merchantTimeoutMs: number; gatewayTimeoutMs: number },
): MerchantApiConfig {
  const merchantTimeoutMs = read.integer('PAY_API_MERCHANT_TIMEOUT_MS', timeouts.merchantTimeoutMs, { min: 1 });
  if (merchantTimeoutMs >= timeouts.gatewayTimeoutMs)
    read.problem(
      `PAY_API_MERCHANT_TIMEOUT_MS (${merchantTimeoutMs}) must be shorter than GATEWAY_TIMEOUT_MS (${timeouts.gatewayTimeoutMs})`,
    );
  const replyTimeoutMs = read.integer('PAY_API_REPLY_TIMEOUT_MS', Math.min(15_000, Math.floor(merchantTimeoutMs / 2)), { min: 1 });
  if (replyTimeoutMs >= merchantTimeoutMs)
    read.problem(
      `PAY_API_REPLY_TIMEOUT_MS (${replyTimeoutMs}) must be shorter than PAY_API_MERCHANT_TIMEOUT_MS (${merchantTimeoutMs}): seed 004 wants the gateway's timeout shorter than the merchant's`,
    );
  return {
    enabled: read.boolean('PAY_API_ENABLED', true),
    host: read.string('PAY_API_HOST', '127.0.0.1'),
    port: read.port('PAY_API_PORT', 8587),
    clockSkewMs: read.integer('PAY_API_CLOCK_SKEW_MS', 300_000, { min: 1_000, max: 3_600_000 }),
    replyTimeoutMs,
    merchantTimeoutMs,
    maxBodyBytes: read.integer('PAY_API_MAX_BODY_BYTES', 65_536, { min: 1_024, max: 1_048_576 }),
    webhookPollMs: read.integer('PAY_API_WEBHOOK_POLL_MS', 1_000, { min: 10, max: 600_000 }),
    webhookBackoffMs: readBackoff(read),
    webhookTimeoutMs: read.integer('PAY_API_WEBHOOK_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    webhookTargets: {
      allowPrivate: read.boolean('PAY_API_WEBHOOK_ALLOW_PRIVATE', false),
      ...readAllowedHosts(read),
    },
  };
}

const HOST_NAME = /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function readAllowedHosts(read: EnvReader): { allowedHosts?: readonly string[] } {
  const text = read.optionalString('PAY_API_WEBHOOK_ALLOWED_HOSTS');
  if (text === undefined) return {};
  const hosts = text.split(',').map((h) => h.trim().toLowerCase());
  if (hosts.length > 0 && hosts.every((h) => HOST_NAME.test(h))) return { allowedHosts: hosts };
  read.problem(`PAY_API_WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host names or .suffixes, got "${text}"`);
  return {};
}

function readBackoff(read: EnvReader): readonly number[] {
  const text = read.optionalString('PAY_API_WEBHOOK_BACKOFF_MS');
  if (text === undefined) return DEFAULT_WEBHOOK_BACKOFF_MS;
  const steps = text.split(',').map((s) => s.trim());
  if (steps.length > 0 && steps.length <= 50 && steps.every((s) => /^\d{1,10}$/.test(s) && Number(s) >= 1)) return steps.map(Number);
  read.problem(`PAY_API_WEBHOOK_BACKOFF_MS must be a comma-separated list of 1-50 waits in ms (each >= 1), got "${text}"`);
  return DEFAULT_WEBHOOK_BACKOFF_MS;
}
