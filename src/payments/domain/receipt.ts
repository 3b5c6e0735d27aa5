/**
 * What a printed (or returned) receipt says, by seed 004's receipt rules: the merchant's order number
 * (paymentRequestId / refundRequestId) or Alipay's transaction number, the Alipay mark, the date and time
 * of the transaction in the merchant's local time, to the second, and the amount the merchant charged.
 * Never the issuer (Alipay stands for it) nor the amount the customer paid in their own currency. One
 * function for every delivery edge: the POS simulator prints it, the REST and H5 APIs return its fields.
 */
import { formatMajor } from '@switch/alipay';

export type ReceiptKind = 'sale' | 'refund';

export interface ReceiptSource {
  kind: ReceiptKind;
  /** The merchant's order number at Alipay: paymentRequestId of a sale, refundRequestId of a refund. */
  merchantOrderId?: string;
  /** Alipay's number: trade_no / paymentId of a sale; of a refund, its refund id or the sale's trade number. */
  alipayTransactionId?: string;
  amountMinor: number;
  /** ISO 4217 alpha. */
  currency: string;
  /** The transaction's date and time on the merchant's clock: 'YYYY-MM-DD HH:mm:ss' (see localTimeIn). */
  localTime: string;
  merchantName?: string;
  terminalId?: string;
  rrn?: string;
  approvalCode?: string;
}

export interface Receipt {
  /** The payment mark: the transaction was processed by Alipay. */
  mark: 'Alipay';
  kind: ReceiptKind;
  /** The number the receipt is looked up by (and printed as a barcode): Alipay's when known, else the merchant's. */
  reference: string;
  merchantOrderId?: string;
  alipayTransactionId?: string;
  localTime: string;
  /** Major units as text, e.g. "38.50" (JPY "1000"). */
  amount: string;
  currency: string;
  merchantName?: string;
  terminalId?: string;
  rrn?: string;
  approvalCode?: string;
}

/** Receipts print the merchant's local time; merchants without a time zone of their own print this one. */
export const DEFAULT_RECEIPT_TIME_ZONE = 'UTC';

/** Who a receipt is printed for: the store's (else the merchant's) name and the merchant's clock. */
export interface ReceiptMerchant {
  merchantName: string;
  timeZone: string;
}

/** The receipt's merchant from the catalogue's profile; an unknown merchant prints no name, on the default clock. */
export function receiptMerchant(
  profile: { merchantName: string; storeName: string; timeZone?: string } | undefined,
  defaultTimeZone = DEFAULT_RECEIPT_TIME_ZONE,
): ReceiptMerchant {
  return { merchantName: profile?.storeName || profile?.merchantName || '', timeZone: profile?.timeZone ?? defaultTimeZone };
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export class ReceiptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptError';
  }
}

/** @throws ReceiptError when there is no number to print or the time is not a local date-time to the second */
export function buildReceipt(source: ReceiptSource): Receipt {
  const reference = source.alipayTransactionId ?? source.merchantOrderId;
  if (!reference) throw new ReceiptError('a receipt needs the merchant order id or the Alipay transaction id');
  if (!LOCAL_TIME.test(source.localTime)) throw new ReceiptError(`localTime must be YYYY-MM-DD HH:mm:ss, got "${source.localTime}"`);
  const receipt: Receipt = {
    mark: 'Alipay',
    kind: source.kind,
    reference,
    localTime: source.localTime,
    amount: formatMajor(source.amountMinor, source.currency),
    currency: source.currency,
  };
  for (const key of ['merchantOrderId', 'alipayTransactionId', 'merchantName', 'terminalId', 'rrn', 'approvalCode'] as const) {
    const value = source[key];
    if (value !== undefined && value !== '') receipt[key] = value;
  }
  return receipt;
}

/** `at` on the clock of an IANA time zone (the merchant's), as 'YYYY-MM-DD HH:mm:ss'. */
export function localTimeIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** The receipt as printed lines, `width` characters at most (a 58 mm printer takes 32). */
export function printReceipt(receipt: Receipt, width = 32): string[] {
  // Long numbers (a 56-character order id) go on their own indented lines, cut to the paper's width.
  const below = (value: string) => (value.match(new RegExp(`.{1,${width - 2}}`, 'g')) ?? []).map((part) => `  ${part}`);
  const row = (label: string, value: string) => {
    const gap = width - label.length - value.length;
    return gap >= 1 ? `${label}${' '.repeat(gap)}${value}` : [label, ...below(value)].join('\n');
  };
  const center = (text: string) => `${' '.repeat(Math.max(0, Math.floor((width - text.length) / 2)))}${text}`;
  const rule = '-'.repeat(width);
  const lines = [center(`[ ${receipt.mark} ]`), center(receipt.kind === 'sale' ? 'SALE' : 'REFUND'), rule];
  if (receipt.merchantName) lines.push(receipt.merchantName);
  if (receipt.terminalId) lines.push(row('Terminal', receipt.terminalId));
  lines.push(row('Date/time', receipt.localTime));
  if (receipt.merchantOrderId) lines.push('Merchant order no.', ...below(receipt.merchantOrderId));
  if (receipt.alipayTransactionId) lines.push('Alipay transaction no.', ...below(receipt.alipayTransactionId));
  if (receipt.rrn) lines.push(row('RRN', receipt.rrn));
  if (receipt.approvalCode) lines.push(row('Approval', receipt.approvalCode));
  lines.push(rule, row(receipt.kind === 'sale' ? 'AMOUNT' : 'REFUNDED', `${receipt.currency} ${receipt.amount}`), rule);
  lines.push(center(receipt.kind === 'sale' ? 'Paid with Alipay' : 'Refunded to Alipay'));
  return lines.flatMap((l) => l.split('\n'));
}
