/**
 * Ids the switch sends to Alipay. Alipay is idempotent by them, so each must name exactly one attempt.
 *
 * paymentRequestId (seed 004: time + terminal + amount + terminal sequence + random), 56 characters:
 *   yyyyMMddHHmmss (UTC, 14) | terminal id (8; letters and digits only) | amount in minor units (12,
 *   zero-padded) | STAN (6) | random (16 lowercase hex = 64 bits)
 * The random tail makes ids unique across restarts and retries of the same STAN, and keeps them from
 * being sequential or guessable. A new id is made for every payment attempt.
 *
 * refundRequestId: 'RF' + the same layout built from the refund transaction; made once when the refund is
 * stored and reused on every retry, so a retried refund can never refund twice.
 *
 * Only [A-Za-z0-9], at most 64 characters: fits AMS paymentRequestId, Open Platform out_trade_no and
 * out_request_no, and MAPI partner_trans_id and partner_refund_id.
 */
import { cryptoRandom, type RandomBytes } from './random';

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

export interface RequestIdParts {
  at: Date;
  terminalId: string;
  amountMinor: number;
  stan: string;
}

export function newPaymentRequestId(parts: RequestIdParts, random: RandomBytes = cryptoRandom): string {
  return build('', parts, random);
}

export function newRefundRequestId(parts: RequestIdParts, random: RandomBytes = cryptoRandom): string {
  return build('RF', parts, random);
}

export function isValidRequestId(id: string): boolean {
  return REQUEST_ID_PATTERN.test(id);
}

export interface ParsedPaymentRequestId {
  timestamp: string;
  terminalId: string;
  amountMinor: number;
  stan: string;
  random: string;
}

/** Splits an id made by `newPaymentRequestId` (for support tooling and tests); undefined for other shapes. */
export function parsePaymentRequestId(id: string): ParsedPaymentRequestId | undefined {
  const match = /^(\d{14})([A-Za-z0-9]{8})(\d{12})(\d{6})([0-9a-f]{16})$/.exec(id);
  if (!match) return undefined;
  const [, timestamp, terminalId, amount, stan, random] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { timestamp, terminalId, amountMinor: Number(amount), stan, random };
}

function build(prefix: string, parts: RequestIdParts, random: RandomBytes): string {
  const id =
    prefix +
    utcTimestamp(parts.at) +
    terminalPart(parts.terminalId) +
    String(parts.amountMinor).padStart(12, '0').slice(-12) +
    parts.stan.replace(/\D/g, '').padStart(6, '0').slice(-6) +
    random(8).toString('hex');
  return id;
}

/** yyyyMMddHHmmss in UTC. */
export function utcTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

// Field 41 is 8 characters but may carry spaces or punctuation; keep the id alphanumeric and fixed-width.
function terminalPart(terminalId: string): string {
  return terminalId
    .replace(/[^A-Za-z0-9]/g, '')
    .padStart(8, '0')
    .slice(-8);
}
