/**
 * Cancels, in both directions: asking for one (terminal reversals, operators) and hearing how it ended
 * (the reversal workers that carry the outbox's cancel orders to Alipay).
 */
import type { ChannelOutcome } from '@switch/alipay';
import { PaymentNotFoundError } from '../domain/errors';
import type { CancelReason, Payment } from '../domain/payment';
import { alipayCall, note } from './history';
import type { OriginalLocator, OriginalReference } from './original-locator';
import type { PaymentTimers } from './payment-timers';
import type { PaymentTransitions } from './payment-transitions';
import type { Clock } from './ports/clock.port';
import type { PaymentRepository } from './ports/payment.repository.port';

/** How a reversal worker's cancel ended. */
export type CancelResult =
  /** Alipay confirmed: cancelled, closed, or refunded by the cancel / a full refund past the cancel window. */
  | { kind: 'cancelled'; detail?: string }
  /** This try failed; the worker will try again (history only). */
  | { kind: 'retrying'; detail: string }
  /** The retry policy ran out: the payment goes on the manual-intervention list. */
  | { kind: 'gave-up'; detail: string };

/** One Alipay call a reversal worker made for a cancel: the cancel itself, or the refund that replaces it. */
export interface CancelCall {
  api: 'cancel' | 'refund';
  /** paymentRequestId for a cancel, the refundRequestId for a refund. */
  requestId: string;
  at: Date;
  outcome: ChannelOutcome;
}

export type CancelRequestResult =
  | { kind: 'requested'; payment: Payment } // CANCEL_REQUESTED now, cancel order in the outbox
  | { kind: 'already'; payment: Payment } // cancel had been requested (or done) before
  | { kind: 'not-needed'; payment: Payment } // declined: nothing was taken
  | { kind: 'not-found' }
  | { kind: 'not-a-payment' };

export class CancellationService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly originals: OriginalLocator,
    private readonly transitions: PaymentTransitions,
    private readonly timers: PaymentTimers,
    private readonly clock: Clock,
  ) {}

  async requestCancel(paymentId: string, reason: CancelReason): Promise<CancelRequestResult> {
    const payment = await this.payments.findById(paymentId);
    if (!payment) return { kind: 'not-found' };
    const applied = await this.transitions.apply(paymentId, { type: 'cancel-requested', reason });
    if (applied.kind === 'changed') {
      this.timers.stopInquiries(paymentId);
      return { kind: 'requested', payment: applied.payment };
    }
    return applied.payment.state === 'DECLINED'
      ? { kind: 'not-needed', payment: applied.payment }
      : { kind: 'already', payment: applied.payment };
  }

  /** For a terminal's reversal: the original named by field 37 or 90. */
  async requestCancelOf(
    reference: OriginalReference,
    merchantId: string,
    terminalId: string,
    reason: CancelReason,
  ): Promise<CancelRequestResult> {
    const found = await this.originals.find(reference, merchantId, terminalId);
    if (!found) return { kind: 'not-found' };
    if (found.type !== 'payment') return { kind: 'not-a-payment' };
    return this.requestCancel(found.payment.id, reason);
  }

  /**
   * Stores how a cancel attempt ended, with the Alipay calls it made (one history line each), in one write.
   * @throws PaymentNotFoundError when no payment has this paymentRequestId.
   */
  async recordCancelOutcome(
    paymentRequestId: string,
    result: CancelResult,
    calls: readonly CancelCall[] = [],
  ): Promise<Payment> {
    const payment = await this.payments.findByPaymentRequestId(paymentRequestId);
    if (!payment) throw new PaymentNotFoundError(`paymentRequestId ${paymentRequestId}`);
    return this.recordCancelOutcomeOf(payment, result, calls);
  }

  /**
   * The same, for a payment the worker has just read: the write starts from that copy (a stale one fails
   * its version check and is read again), which saves two reads per attempt on the reversal workers' path.
   */
  async recordCancelOutcomeOf(
    payment: Payment,
    result: CancelResult,
    calls: readonly CancelCall[] = [],
  ): Promise<Payment> {
    const subject = { paymentId: payment.id };
    const callLines = calls.map((c) => alipayCall(subject, c.at, c.api, c.requestId, c.outcome));
    switch (result.kind) {
      case 'cancelled': {
        const history = result.detail ? [note(subject, this.clock.now(), `cancel: ${result.detail}`)] : [];
        return (
          await this.transitions.applyFrom(payment, { type: 'cancel-confirmed' }, [...callLines, ...history])
        ).payment;
      }
      case 'retrying':
        return this.transitions.appendHistory(
          payment.id,
          () => [...callLines, note(subject, this.clock.now(), `cancel retry: ${result.detail}`)],
          payment,
        );
      case 'gave-up':
        return (
          await this.transitions.applyFrom(payment, { type: 'cancel-gave-up' }, [
            ...callLines,
            note(subject, this.clock.now(), `cancel gave up: ${result.detail}`),
          ])
        ).payment;
    }
  }
}
