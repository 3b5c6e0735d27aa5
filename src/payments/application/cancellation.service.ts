/**
 * Cancels, in both directions: asking for one (terminal reversals, operators) and hearing how it ended
 * (the reversal workers that carry the outbox's cancel orders to Alipay, the dead-letter recorder,
 * operators). Every ending is recorded by recordCancelOutcome, the manual-intervention list included.
 */
import type { ChannelOutcome } from '@switch/alipay';
import { PaymentNotFoundError } from '../domain/errors';
import type { CancelReason, Payment } from '../domain/payment';
import { alipayCall, note } from './history';
import type { OriginalLocator, OriginalReference } from './original-locator';
import type { PaymentTimers } from './payment-timers';
import type { PaymentTransitions } from './payment-transitions';
import type { Clock } from './ports/clock.port';
import type { ManualInterventionReason, ManualInterventions } from './ports/manual-interventions.port';
import type { PaymentRepository } from './ports/payment.repository.port';

/** How a reversal worker's cancel ended. */
export type CancelResult =
  /** Alipay confirmed: cancelled, closed, or refunded by the cancel / a full refund past the cancel window. */
  | { kind: 'cancelled'; detail?: string }
  /** This try failed; the worker will try again (history only). */
  | { kind: 'retrying'; detail: string }
  /** No more automatic tries: the payment goes on the manual-intervention list, for `reason` when given. */
  | { kind: 'gave-up'; detail: string; reason?: ManualInterventionReason };

/** One Alipay call a reversal worker made for a cancel: the cancel itself, or the refund that replaces it. */
export interface CancelCall {
  api: 'cancel' | 'inquire' | 'refund';
  /** paymentRequestId for a cancel or an inquiry, the refundRequestId for a refund. */
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
    private readonly manual?: ManualInterventions,
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
   * `target` is the paymentRequestId, or a payment the caller has just read (the write starts from that
   * copy; a stale one fails its version check and is read again). Gave up with a reason: the
   * manual-intervention entry is opened first, also for an order naming no payment (resolves undefined).
   * @throws PaymentNotFoundError when no payment has this paymentRequestId and nothing was given up.
   */
  async recordCancelOutcome(
    target: Payment | string,
    result: CancelResult,
    calls: readonly CancelCall[] = [],
  ): Promise<Payment | undefined> {
    const paymentRequestId = typeof target === 'string' ? target : target.paymentRequestId;
    const payment = typeof target === 'string' ? await this.payments.findByPaymentRequestId(target) : target;
    if (result.kind === 'gave-up' && result.reason !== undefined) {
      await this.manual?.open({
        ...(payment ? { paymentId: payment.id } : {}),
        paymentRequestId: paymentRequestId.slice(0, 64),
        reason: result.reason,
        detail: result.detail,
        at: this.clock.now(),
      });
      // Only a payment still waiting for its cancel is flagged, once; a finished one keeps its state.
      if (payment?.state !== 'CANCEL_REQUESTED') return payment;
      if (payment.manualIntervention && calls.length === 0) return payment;
    }
    if (!payment) throw new PaymentNotFoundError(`paymentRequestId ${paymentRequestId}`);
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
