/** What the delivery edge hands the services (already parsed and checked for format), and what it gets back. */
import { paymentOutcome, refundOutcome, type Outcome } from '../domain/outcome';
import type { Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import { mayAnswerApproval } from '../domain/timeouts';
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

/** The answer a payment's current state gives. An approval is only answered when its delivery will be known before the gateway timeout looks. */
export function paymentAnswer(payment: Payment, replyDeadlineAt: Date): EngineAnswer {
  const outcome: Outcome = paymentOutcome(payment);
  if (outcome.kind !== 'approved') return { outcome };
  if (!mayAnswerApproval(payment, replyDeadlineAt.getTime()))
    return { outcome: { kind: 'in-doubt', receipt: outcome.receipt } };
  return { outcome, approvalOf: { type: 'payment', id: payment.id } };
}

/** The answer a refund's current state gives. */
export function refundAnswer(refund: Refund): EngineAnswer {
  const outcome = refundOutcome(refund);
  return outcome.kind === 'approved' ? { outcome, approvalOf: { type: 'refund', id: refund.id } } : { outcome };
}

/** The engine stops waiting `replyMarginMs` before a terminal's deadline so its "in doubt" reply still goes out. */
export function waitEnd(replyDeadlineAt: Date, replyMarginMs: number): Date {
  return new Date(replyDeadlineAt.getTime() - replyMarginMs);
}
