/** Turns the current (or awaited) state of a transaction into the answer for a terminal request. */
import { paymentOutcome, refundOutcome, type Outcome } from '../domain/outcome';
import { isOpen, type Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import { isRefundFinal } from '../domain/refund';
import { mayAnswerApproval } from '../domain/timeouts';
import type { ChangeWatch } from './change-watch';
import type { EngineAnswer } from './commands';
import type { PaymentsConfig } from './payments.config';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';

export class Answers {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly paymentWatch: ChangeWatch<Payment>,
    private readonly refundWatch: ChangeWatch<Refund>,
    private readonly config: PaymentsConfig,
  ) {}

  /** Waits until the payment has a definite answer or the reply is due, whichever is first. */
  async forPayment(paymentId: string, replyDeadlineAt: Date): Promise<EngineAnswer> {
    const payment = await this.paymentWatch.waitFor(
      paymentId,
      () => this.payments.findById(paymentId),
      (p) => !isOpen(p),
      this.waitUntil(replyDeadlineAt),
    );
    if (!payment) return { outcome: { kind: 'system-error' } };
    return this.paymentAnswer(payment, replyDeadlineAt);
  }

  async forRefund(refundId: string, replyDeadlineAt: Date): Promise<EngineAnswer> {
    const refund = await this.refundWatch.waitFor(
      refundId,
      () => this.refunds.findById(refundId),
      (r) => isRefundFinal(r),
      this.waitUntil(replyDeadlineAt),
    );
    if (!refund) return { outcome: { kind: 'system-error' } };
    return this.refundAnswer(refund);
  }

  /** An approval is only answered when its delivery will be known before the gateway timeout looks. */
  paymentAnswer(payment: Payment, replyDeadlineAt: Date): EngineAnswer {
    const outcome: Outcome = paymentOutcome(payment);
    if (outcome.kind !== 'approved') return { outcome };
    if (!mayAnswerApproval(payment, replyDeadlineAt.getTime()))
      return { outcome: { kind: 'in-doubt', receipt: outcome.receipt } };
    return { outcome, approvalOf: { type: 'payment', id: payment.id } };
  }

  refundAnswer(refund: Refund): EngineAnswer {
    const outcome = refundOutcome(refund);
    return outcome.kind === 'approved'
      ? { outcome, approvalOf: { type: 'refund', id: refund.id } }
      : { outcome };
  }

  private waitUntil(replyDeadlineAt: Date): Date {
    return new Date(replyDeadlineAt.getTime() - this.config.replyMarginMs);
  }
}
