/**
 * A notification's payload as the log keeps it: signatures, tokens and buyer identifiers replaced, and
 * payment codes masked, so the table can be read by support without exposing anything replayable.
 */
import { maskPaymentCodesIn } from '../logging/mask';

const SECRET_FIELDS = new Set([
  'sign',
  'signature',
  'app_auth_token',
  'app_refresh_token',
  'app_auth_code',
  'accessToken',
  'refresh_token',
  'code',
  'buyer_logon_id',
  'buyer_id',
]);
const MAX_STORED = 8_000;

export function maskedPayload(rawBody: string, form: boolean): string {
  const masked = form ? maskForm(rawBody) : maskJson(rawBody);
  return maskPaymentCodesIn(masked).slice(0, MAX_STORED);
}

function maskForm(rawBody: string): string {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) {
    out[k] = SECRET_FIELDS.has(k) ? '***' : k === 'biz_content' ? maskJson(v) : v;
  }
  return JSON.stringify(out);
}

function maskJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (k, v: unknown) => (SECRET_FIELDS.has(k) ? '***' : v));
  } catch {
    return '(not JSON)';
  }
}
