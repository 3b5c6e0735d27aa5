/** What a webhookUrl may be, for every /pay/v1 route that takes one: http(s), absolute, at most 512 characters. */
import { isURL } from 'class-validator';

export const WEBHOOK_URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
export const WEBHOOK_URL_MAX_LENGTH = 512;

export function isWebhookUrl(value: unknown): value is string {
  return typeof value === 'string' && value.length <= WEBHOOK_URL_MAX_LENGTH && isURL(value, WEBHOOK_URL_OPTIONS);
}
