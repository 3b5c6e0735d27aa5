/**
 * One line of an Alipay transaction file, the same shape for every channel: what moved, which id the
 * merchant (the switch) gave it, how much, when. Amounts are integer minor units and always positive:
 * the kind says which way the money went.
 */
import type { ChannelName } from '../channel.port';

/** payment: Alipay took the money; refund: gave part or all back; cancel: gave it back by a cancel. */
export type StatementLineKind = 'payment' | 'refund' | 'cancel';

export interface StatementLine {
  readonly kind: StatementLineKind;
  /**
   * payment and cancel: the payment's request id (AMS paymentRequestId, Open Platform out_trade_no, MAPI
   * partner_trans_id); refund: the refund's request id. Undefined when the file names only Alipay's id
   * (MAPI cancels carry Alipay's transaction id).
   */
  readonly requestId?: string;
  /** refund and cancel lines: the original payment's request id, when the file gives it. */
  readonly paymentRequestId?: string;
  /** Alipay's id of the payment (AMS paymentId, trade_no, MAPI transaction id). */
  readonly alipayTransactionId?: string;
  readonly amountMinor: number;
  /** ISO 4217 alpha. */
  readonly currency: string;
  readonly at: Date;
}

/** A data row that could not be read: kept (with its line number) so it is reported, never dropped. */
export interface UnreadableLine {
  readonly unreadable: true;
  readonly lineNumber: number;
  readonly problem: string;
}

export type StatementEntry = StatementLine | UnreadableLine;

export const isUnreadable = (entry: StatementEntry): entry is UnreadableLine => 'unreadable' in entry;

/** The file as a whole cannot be trusted (no header, cut short, totals that do not add up). */
export class StatementFormatError extends Error {
  readonly code = 'ALIPAY.STATEMENT_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'StatementFormatError';
  }
}

/**
 * The UTC offset each channel's files cut their days by, in minutes. AMS writes ISO 8601 times with an
 * offset and the sandbox (like the AMS API) uses UTC; Open Platform bills and MAPI files are in Beijing
 * time (UTC+8), as their `bill_date` and `Payment_time` are.
 */
export const STATEMENT_UTC_OFFSET_MINUTES: Readonly<Record<ChannelName, number>> = Object.freeze({
  ams: 0,
  openapi: 8 * 60,
  mapi: 8 * 60,
});

/** [start, end) in UTC of the calendar day `day` (yyyy-MM-dd) of a channel's file. */
export function statementDayWindow(channel: ChannelName, day: string): { start: Date; end: Date } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new StatementFormatError(`not a day: ${JSON.stringify(day)} (expected yyyy-MM-dd)`);
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  const start = midnightUtc - STATEMENT_UTC_OFFSET_MINUTES[channel] * 60_000;
  return { start: new Date(start), end: new Date(start + 24 * 60 * 60_000) };
}

/** "yyyy-MM-dd" -> "yyyyMMdd", as file names write it. */
export const compactDay = (day: string): string => day.replace(/-/g, '');
