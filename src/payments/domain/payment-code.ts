/**
 * The customer's payment code (the barcode on the phone). Checked before any Alipay call, used in clear
 * only for the pay call, stored only masked and as a keyed hash.
 */
import { createHmac } from 'node:crypto';
import type { ChannelName } from './payment';

export type PaymentCodeProblem = 'not-digits' | 'prefix' | 'length';

export type PaymentCodeCheck = { ok: true } | { ok: false; problem: PaymentCodeProblem };

/**
 * Lengths each channel accepts: seed 004 asks AMS/Alipay+ integrations for 17-32 digits (codes are growing);
 * Open Platform auth_code and MAPI buyer_identity_code are documented as 16-24 digits.
 */
export const PAYMENT_CODE_LENGTHS: Readonly<Record<ChannelName, { min: number; max: number }>> = {
  ams: { min: 17, max: 32 },
  openapi: { min: 16, max: 24 },
  mapi: { min: 16, max: 24 },
};

export function checkPaymentCode(code: string, channel: ChannelName): PaymentCodeCheck {
  if (!/^\d+$/.test(code)) return { ok: false, problem: 'not-digits' };
  const prefix = Number(code.slice(0, 2));
  if (code.length < 2 || prefix < 25 || prefix > 30) return { ok: false, problem: 'prefix' };
  const { min, max } = PAYMENT_CODE_LENGTHS[channel];
  if (code.length < min || code.length > max) return { ok: false, problem: 'length' };
  return { ok: true };
}

/** First 2 and last 4 digits visible, like a PAN on a receipt; the length stays visible too. */
export function maskPaymentCode(code: string): string {
  if (code.length <= 6) return '*'.repeat(code.length);
  return `${code.slice(0, 2)}${'*'.repeat(code.length - 6)}${code.slice(-4)}`;
}

/** HMAC-SHA256 under PAYMENT_CODE_HASH_KEY, lowercase hex: compares codes without storing them. */
export function hashPaymentCode(code: string, key: Buffer): string {
  return createHmac('sha256', key).update(code, 'utf8').digest('hex');
}
