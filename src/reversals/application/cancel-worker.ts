/**
 * Carries out one attempt of a cancel order: the same for the Kafka consumer and the in-process queue.
 *
 * - A payment already CANCELLED is done without calling Alipay (duplicates and redeliveries stop here).
 * - Otherwise Alipay's cancel, with the paymentRequestId (idempotent by it); past the cancel window a full
 *   refund with a refundRequestId derived from the paymentRequestId takes its place. A cancel answered
 *   "closed" or "no such payment" is confirmed only by an inquiry showing no money taken.
 * - The attempt ends in a verdict, which CancellationService.recordCancelOutcome stores with every call
 *   made, before the caller moves on (commits the offset, forwards to a retry topic, or reschedules), so a
 *   crash repeats an attempt at worst.
 * - A definite refusal, a retry the policy has no room for, or an order that cannot be carried out puts
 *   the payment on the manual-intervention list (and flags it) before the order is reported dead.
 */
import { currencyByNumeric, type MerchantContext, type WalletChannel } from '@switch/alipay';
import type { CancelCall, CancellationService } from '../../payments/application/cancellation.service';
import { callChannel } from '../../payments/application/channel-events';
import type { Clock } from '../../payments/application/ports/clock.port';
import type { MerchantChannels } from '../../payments/application/ports/merchant-channels.port';
import type { ManualInterventionReason } from '../../payments/application/ports/manual-interventions.port';
import type { PaymentRepository } from '../../payments/application/ports/payment.repository.port';
import type { Payment } from '../../payments/domain/payment';
import {
  cancelRefundRequestId,
  judgeCancel,
  judgeRefund,
  judgeStatusAfterCancel,
  type CancelVerdict,
} from '../domain/cancel-verdict';
import { isLastAttempt, type CancelRetryPolicy } from '../domain/retry-policy';
import { readCancelOrder, type CancelOrder } from '../../payments/application/cancel-order';
import type { ReversalsLog } from './ports/reversals-log.port';

export type AttemptResult =
  /** Alipay confirmed (or the payment was cancelled already): nothing more to do. */
  | { readonly kind: 'done'; readonly detail: string }
  /** Try again after the policy's next wait. */
  | { readonly kind: 'retry'; readonly detail: string }
  /** On the manual-intervention list: no more automatic attempts. */
  | { readonly kind: 'dead'; readonly reason: string };

export interface CancelWorkerOptions {
  readonly policy: CancelRetryPolicy;
  /**
   * "Order not found" from Alipay is final only for a payment at least this old: a younger one's pay call
   * may still be on its way, and a cancel that overtakes it must be sent again (CANCEL_ABSENT_FINAL_AFTER_MS,
   * which has a floor).
   */
  readonly absentFinalAfterMs: number;
}

export class CancelWorker {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly cancellation: CancellationService,
    private readonly merchants: MerchantChannels,
    private readonly clock: Clock,
    private readonly log: ReversalsLog,
    private readonly options: CancelWorkerOptions,
  ) {}

  /**
   * `attempt` is 1 for the first try of this order. Rejects only when the outcome could not be stored
   * (the database is down): the caller must then treat the attempt as not made.
   */
  async attempt(key: string, payload: string, attempt: number): Promise<AttemptResult> {
    const read = readCancelOrder(payload, key);
    if (!read.ok) return this.unprocessable(key, undefined, `unreadable cancel order: ${read.problem}`);
    const order = read.order;
    const payment = await this.payments.findByPaymentRequestId(order.paymentRequestId);
    if (!payment) return this.unprocessable(key, undefined, 'no payment has this paymentRequestId');
    switch (payment.state) {
      case 'CANCELLED':
        return { kind: 'done', detail: 'already cancelled' };
      case 'CANCEL_REQUESTED':
        break;
      case 'RECEIVED':
      case 'AWAITING_ALIPAY':
      case 'APPROVED':
      case 'DECLINED':
        return this.unprocessable(key, payment, `a cancel order for a payment in state ${payment.state}`);
    }
    const route = await this.merchants.route(order.merchantId, payment.terminalId);
    if (!route) return this.unprocessable(key, payment, `merchant ${order.merchantId} is unknown`);

    const calls: CancelCall[] = [];
    const verdict = await this.cancelOrRefund(order, payment, route.channel, route.context, calls);
    return this.conclude(payment, attempt, verdict, calls);
  }

  private async cancelOrRefund(
    order: CancelOrder,
    payment: Payment,
    channel: WalletChannel,
    merchant: MerchantContext,
    calls: CancelCall[],
  ): Promise<CancelVerdict> {
    const cancelAt = this.clock.now();
    const cancelled = await callChannel(
      (c) => c.cancel({ paymentRequestId: payment.paymentRequestId, merchant }),
      channel,
    );
    calls.push({ api: 'cancel', requestId: payment.paymentRequestId, at: cancelAt, outcome: cancelled });
    const verdict = judgeCancel(cancelled);
    switch (verdict.kind) {
      case 'refund-instead':
        return this.refundInFull(order, payment, channel, merchant, calls);
      case 'absent':
        return this.isAbsentFinal(payment, cancelAt)
          ? this.verifyNothingTaken(payment, channel, merchant, calls)
          : {
              kind: 'retry',
              detail: 'Alipay does not know the payment yet (its pay may still be on the way)',
            };
      case 'verify':
        return this.verifyNothingTaken(payment, channel, merchant, calls);
      case 'confirmed':
      case 'retry':
      case 'hopeless':
        return verdict;
    }
  }

  private isAbsentFinal(payment: Payment, at: Date): boolean {
    return at.getTime() - payment.createdAt.getTime() >= this.options.absentFinalAfterMs;
  }

  /** "Closed" and "no such payment" confirm nothing by themselves: the payment's own status must. */
  private async verifyNothingTaken(
    payment: Payment,
    channel: WalletChannel,
    merchant: MerchantContext,
    calls: CancelCall[],
  ): Promise<CancelVerdict> {
    const at = this.clock.now();
    const status = await callChannel(
      (c) => c.inquire({ paymentRequestId: payment.paymentRequestId, merchant }),
      channel,
    );
    calls.push({ api: 'inquire', requestId: payment.paymentRequestId, at, outcome: status });
    return judgeStatusAfterCancel(status, this.isAbsentFinal(payment, at));
  }

  private async refundInFull(
    order: CancelOrder,
    payment: Payment,
    channel: WalletChannel,
    merchant: MerchantContext,
    calls: CancelCall[],
  ): Promise<CancelVerdict> {
    // A terminal refund still in flight may yet be made or released: refunding "the rest" now would
    // either refund it twice or leave it taken. Wait until it settles (resume-unfinished settles it).
    if (payment.reservedRefundMinor > 0)
      return {
        kind: 'retry',
        detail: `terminal refunds of ${payment.reservedRefundMinor} (minor units) still in flight`,
      };
    // Terminal refunds Alipay already made stay made; the cancel takes back the rest.
    const amountMinor = payment.amountMinor - payment.refundedMinor;
    if (amountMinor <= 0)
      return { kind: 'confirmed', detail: 'past the cancel window and already refunded in full' };
    const currency = currencyByNumeric(payment.currencyNumeric);
    if (!currency) return { kind: 'hopeless', detail: `currency ${payment.currencyNumeric} is unknown` };
    const refundRequestId = cancelRefundRequestId(payment.paymentRequestId);
    const at = this.clock.now();
    const refunded = await callChannel(
      (c) =>
        c.refund({
          paymentRequestId: payment.paymentRequestId,
          refundRequestId,
          amount: { amountMinor, currency: currency.alpha },
          reason: `cancel (${order.reason})`,
          merchant,
          ...(payment.alipayTransactionId !== undefined
            ? { alipayTransactionId: payment.alipayTransactionId }
            : {}),
        }),
      channel,
    );
    calls.push({ api: 'refund', requestId: refundRequestId, at, outcome: refunded });
    return judgeRefund(refunded);
  }

  private async conclude(
    payment: Payment,
    attempt: number,
    verdict: CancelVerdict,
    calls: CancelCall[],
  ): Promise<AttemptResult> {
    switch (verdict.kind) {
      case 'confirmed': {
        const detail = verdict.detail;
        await this.cancellation.recordCancelOutcome(
          payment,
          detail !== undefined ? { kind: 'cancelled', detail } : { kind: 'cancelled' },
          calls,
        );
        return { kind: 'done', detail: detail ?? 'Alipay confirmed the cancel' };
      }
      case 'retry': {
        if (isLastAttempt(this.options.policy, attempt)) {
          const detail = `no confirmation after ${attempt} attempts; last: ${verdict.detail}`;
          return this.giveUp(payment, 'retries-exhausted', detail, calls);
        }
        await this.cancellation.recordCancelOutcome(
          payment,
          { kind: 'retrying', detail: `attempt ${attempt}: ${verdict.detail}` },
          calls,
        );
        return { kind: 'retry', detail: verdict.detail };
      }
      case 'hopeless':
        return this.giveUp(payment, 'alipay-refused', verdict.detail, calls);
      case 'refund-instead':
      case 'absent':
      case 'verify':
        // cancelOrRefund settles these; reaching here is a bug, and a bug goes to people, not into a loop.
        return this.giveUp(payment, 'alipay-refused', `unsettled verdict ${verdict.kind}`, calls);
    }
  }

  private async giveUp(
    payment: Payment,
    reason: ManualInterventionReason,
    detail: string,
    calls: CancelCall[],
  ): Promise<AttemptResult> {
    await this.cancellation.recordCancelOutcome(payment, { kind: 'gave-up', reason, detail }, calls);
    this.log.warn({ paymentId: payment.id, reason, detail }, 'cancel handed to manual intervention');
    return { kind: 'dead', reason: `${reason}: ${detail}` };
  }

  private async unprocessable(
    key: string,
    payment: Payment | undefined,
    detail: string,
  ): Promise<AttemptResult> {
    // A payment waiting for this cancel shows on the ops list as well (it stays CANCEL_REQUESTED).
    await this.cancellation.recordCancelOutcome(payment ?? key, {
      kind: 'gave-up',
      reason: 'unprocessable',
      detail,
    });
    this.log.error(
      { key, paymentId: payment?.id, detail },
      'cancel order cannot be processed; handed to manual intervention',
    );
    return { kind: 'dead', reason: `unprocessable: ${detail}` };
  }
}
