/**
 * The answer for a request whose transaction someone else settles: a retransmission following its
 * original, a purchase or refund whose first Alipay call left it in doubt. Waits until the transaction is
 * final or the reply is due, whichever is first.
 */
import { isOpen, ownedElsewhere, type Payment } from '../domain/payment';
import { isRefundFinal, type Refund } from '../domain/refund';
import { paymentAnswer, refundAnswer, waitEnd, type EngineAnswer } from './commands';
import type { FinalStateWaiters } from './final-state-waiters';
import type { PaymentsConfig } from './payments.config';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';

export class SettledAnswers {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly paymentWaiters: FinalStateWaiters<Payment>,
    private readonly refundWaiters: FinalStateWaiters<Refund>,
    private readonly config: PaymentsConfig,
  ) {}

  /**
   * `fresh`: the first read skips this process's copy (a retransmission: another instance may have changed
   * the payment since this one wrote it, e.g. a reversal it took).
   */
  async forPayment(paymentId: string, replyDeadlineAt: Date, fresh = false): Promise<EngineAnswer> {
    const payment = await this.paymentWaiters.waitFor(
      paymentId,
      () => this.payments.findById(paymentId, { fresh }),
      (p) => !isOpen(p),
      waitEnd(replyDeadlineAt, this.config.replyMarginMs),
      {
        when: (p) => ownedElsewhere(p, this.config.instanceId),
        everyMs: this.config.ownerPollMs,
        load: () => this.payments.findById(paymentId, { fresh: true }),
      },
    );
    if (!payment) return { outcome: { kind: 'system-error' } };
    return paymentAnswer(payment, replyDeadlineAt);
  }

  /**
   * `retransmission`: the original may be in the hands of another instance, whose events never reach this
   * one, and refunds record no owner: the database is read again every `ownerPollMs` until it is final.
   */
  async forRefund(refundId: string, replyDeadlineAt: Date, retransmission = false): Promise<EngineAnswer> {
    const load = () => this.refunds.findById(refundId);
    const refund = await this.refundWaiters.waitFor(
      refundId,
      load,
      (r) => isRefundFinal(r),
      waitEnd(replyDeadlineAt, this.config.replyMarginMs),
      retransmission && this.config.instanceId !== undefined
        ? { when: () => true, everyMs: this.config.ownerPollMs, load }
        : undefined,
    );
    if (!refund) return { outcome: { kind: 'system-error' } };
    return refundAnswer(refund);
  }
}
