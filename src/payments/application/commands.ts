/** What the delivery edge hands the services (already parsed and checked for format), and what it gets back. */
import type { Outcome } from '../domain/outcome';
import type { OriginalReference } from './original-locator';

/** Common to every terminal request. */
export interface TerminalRequest {
  terminalId: string;
  /** Field 42, already checked against the terminal's merchant. */
  merchantId: string;
  stan: string;
  /** 'MMDDhhmmss' from fields 13 + 12. */
  localDateTime: string;
  /** MTI with the repeat digit cleared ('0100' or '0200'). */
  requestMti: string;
  processingCode: string;
  receivedAt: Date;
  /** Nothing reaches the terminal after this (receivedAt + its merchant timeout). */
  replyDeadlineAt: Date;
}

export interface PurchaseCommand extends TerminalRequest {
  amountMinor: number;
  currencyNumeric: string;
  /** Clear payment code: used for the pay call and the hash, then dropped. */
  paymentCode: string;
}

export interface RefundCommand extends TerminalRequest {
  amountMinor: number;
  currencyNumeric: string;
  original: OriginalReference;
}

export interface InquiryCommand extends TerminalRequest {
  original: OriginalReference;
}

export interface EngineAnswer {
  outcome: Outcome;
  /**
   * Set when the answer is an approval: the edge reports whether the reply reached the terminal through
   * `recordDelivery`, because an approval the terminal never saw is cancelled at the gateway timeout.
   */
  approvalOf?: { type: 'payment' | 'refund'; id: string };
}
