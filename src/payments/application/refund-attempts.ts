/**
 * Calls Alipay's refund for a stored refund and, while the outcome is unknown, calls again with the same
 * refundRequestId (refunds are idempotent by it; there is no refund inquiry) every interval until the
 * retry window closes. What is still unknown then is flagged for manual intervention and put on the one
 * manual-intervention list the operators read, keeping its reservation so the payment cannot be
 * over-refunded meanwhile.
 */
import { currencyByNumeric } from '@switch/alipay';
import { newApprovalCode } from '../domain/identifiers';
import type { RandomBytes } from '../domain/random';
import { isRefundFinal, refundOwnedElsewhere, type Refund } from '../domain/refund';
import { callChannel, eventFromRefund } from './channel-events';
import { alipayCall } from './history';
import { describeError } from './payment-timers';
import type { PaymentsConfig } from './payments.config';
import type { Clock } from './ports/clock.port';
import type { ManualInterventions } from './ports/manual-interventions.port';
import type { PaymentsLog } from './ports/log.port';
import type { MerchantChannels } from './ports/merchant-channels.port';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';
import type { Scheduler, TimerHandle } from './ports/scheduler.port';
import type { RefundTransitions } from './refund-transitions';

export class RefundAttempts {
  private readonly timers = new Map<string, TimerHandle>();
  private disposed = false;

  constructor(
    private readonly refunds: RefundRepository,
    private readonly payments: PaymentRepository,
    private readonly merchants: MerchantChannels,
    private readonly transitions: RefundTransitions,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
    private readonly log: PaymentsLog,
    private readonly random?: RandomBytes,
    private readonly manualInterventions?: ManualInterventions,
  ) {}

  /**
   * One refund call now, then retries as needed. Resolves with the refund as this call left it (undefined
   * when it could not be stored) once the retry is arranged. Never rejects.
   */
  async attempt(refundId: string): Promise<Refund | undefined> {
    let refund: Refund | undefined;
    try {
      refund = await this.refunds.findById(refundId);
      if (!refund || isRefundFinal(refund) || refund.manualIntervention) return refund;
      if (refundOwnedElsewhere(refund, this.config.instanceId)) {
        // Taken over while this instance's lease lapsed: the new owner retries it; this one stops.
        this.log.warn({ refundId, owner: refund.ownerInstance }, 'refund driven by another instance');
        return refund;
      }
      const after = await this.call(refund);
      if (!isRefundFinal(after)) await this.retryLater(after);
      return after;
    } catch (err) {
      this.log.error({ refundId, err: describeError(err) }, 'refund attempt failed; will try again');
      if (refund) await this.retryLater(refund).catch(() => undefined);
      return undefined;
    }
  }

  /**
   * One refund call now for a refund people took back from the manual-intervention list: the same
   * refundRequestId and the same call as every attempt, so Alipay refunds the money at most once. No
   * automatic retries follow; a final refund is answered as it is, without a call.
   */
  async retryByHand(refundId: string): Promise<Refund | undefined> {
    const refund = await this.refunds.findById(refundId);
    if (!refund || isRefundFinal(refund)) return refund;
    return this.call(refund);
  }

  pending(): number {
    return this.timers.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const handle of this.timers.values()) handle.cancel();
    this.timers.clear();
  }

  private async call(refund: Refund): Promise<Refund> {
    const original = await this.payments.findById(refund.paymentId);
    const route =
      original &&
      (await this.merchants.route(refund.merchantId, refund.terminalId));
    const currency = currencyByNumeric(refund.currencyNumeric);
    if (!original || !route || !currency) {
      this.log.warn({ refundId: refund.id }, 'cannot call refund: original, merchant or currency unknown');
      return refund;
    }
    const at = this.clock.now();
    const outcome = await callChannel(
      (channel) =>
        channel.refund({
          paymentRequestId: original.paymentRequestId,
          refundRequestId: refund.refundRequestId,
          amount: { amountMinor: refund.amountMinor, currency: currency.alpha },
          merchant: route.context,
          ...(original.alipayTransactionId !== undefined
            ? { alipayTransactionId: original.alipayTransactionId }
            : {}),
        }),
      route.channel,
    );
    const history = [
      alipayCall(
        { paymentId: refund.paymentId, refundId: refund.id },
        at,
        'refund',
        refund.refundRequestId,
        outcome,
      ),
    ];
    const event = eventFromRefund(outcome, () => newApprovalCode(this.random));
    return (await this.transitions.apply(refund.id, event, history)).refund;
  }

  private async retryLater(refund: Refund): Promise<void> {
    if (this.disposed) return;
    const next = this.clock.now().getTime() + this.config.refundRetryIntervalMs;
    if (next > refund.retryUntil.getTime()) {
      const flagged = (await this.transitions.apply(refund.id, { type: 'retries-exhausted' })).refund;
      await this.listForPeople(flagged);
      this.log.warn(
        { refundId: refund.id },
        'refund outcome still unknown after the retry window: manual intervention',
      );
      return;
    }
    this.timers.get(refund.id)?.cancel();
    const handle = this.scheduler.at(new Date(next), () => {
      this.timers.delete(refund.id);
      void this.attempt(refund.id);
    });
    this.timers.set(refund.id, handle);
  }

  /** The refund's own flag alone is read by no one: the give-up goes on the list cancels use as well. */
  private async listForPeople(refund: Refund): Promise<void> {
    if (!refund.manualIntervention) return;
    const original = await this.payments.findById(refund.paymentId);
    await this.manualInterventions?.open({
      paymentId: refund.paymentId,
      paymentRequestId: refund.refundRequestId,
      reason: 'refund-unconfirmed',
      detail:
        `refund of ${refund.amountMinor} (minor units) of payment ${original?.paymentRequestId ?? refund.paymentId}: ` +
        'no answer from Alipay through the retry window; the amount stays reserved',
      at: this.clock.now(),
    });
  }
}
