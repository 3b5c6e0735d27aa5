/**
 * The one place a refund changes, together with its original payment's ledger (settle on success, release
 * on failure) in one repository call under both rows' version checks.
 */
import { IllegalTransitionError, PaymentNotFoundError, VersionConflictError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import { withoutRefundOwnerWhenUndriven, type Refund } from '../domain/refund';
import { releaseRefund, settleRefund } from '../domain/refund-ledger';
import { refundTransition, type RefundEventInput } from '../domain/refund-state';
import type { FinalStateWaiters } from './final-state-waiters';
import { note, stateChanged } from './history';
import type { Clock } from './ports/clock.port';
import type { PaymentEvent, PaymentRepository } from './ports/payment.repository.port';
import type { OriginalPaymentChange, RefundRepository } from './ports/refund.repository.port';

export type RefundApplied = { kind: 'changed' | 'ignored'; refund: Refund };

const MAX_ATTEMPTS = 8;

export class RefundTransitions {
  constructor(
    private readonly refunds: RefundRepository,
    private readonly payments: PaymentRepository,
    private readonly clock: Clock,
    private readonly refundWaiters: FinalStateWaiters<Refund>,
    private readonly paymentWaiters: FinalStateWaiters<Payment>,
  ) {}

  async apply(
    refundId: string,
    event: RefundEventInput,
    history: PaymentEvent[] = [],
  ): Promise<RefundApplied> {
    for (let attempt = 1; ; attempt++) {
      const refund = await this.refunds.findById(refundId);
      if (!refund) throw new PaymentNotFoundError(`refund ${refundId}`);
      const original = await this.payments.findById(refund.paymentId);
      if (!original) throw new PaymentNotFoundError(refund.paymentId);
      try {
        return await this.applyTo(refund, original, event, history);
      } catch (err) {
        if (err instanceof VersionConflictError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async applyTo(
    refund: Refund,
    original: Payment,
    event: RefundEventInput,
    history: PaymentEvent[],
  ): Promise<RefundApplied> {
    const now = this.clock.now();
    const result = refundTransition(refund, event, now);
    const subject = { paymentId: refund.paymentId, refundId: refund.id };
    switch (result.kind) {
      case 'changed': {
        const next = withoutRefundOwnerWhenUndriven({ ...result.refund, version: refund.version + 1 });
        let change: OriginalPaymentChange | undefined;
        if (result.ledger !== 'none') {
          const moved =
            result.ledger === 'settle'
              ? settleRefund(original, refund.amountMinor, now)
              : releaseRefund(original, refund.amountMinor, now);
          change = {
            payment: { ...moved, version: original.version + 1 },
            expectedVersion: original.version,
          };
        }
        const line =
          next.state === refund.state
            ? note(subject, now, event.type)
            : stateChanged(subject, now, refund.state, next.state, event.type);
        await this.refunds.update(next, refund.version, [...history, line], change);
        this.refundWaiters.publish(next);
        if (change) this.paymentWaiters.publish(change.payment);
        return { kind: 'changed', refund: next };
      }
      case 'ignored': {
        const lines = [...history, note(subject, now, `${event.type} ignored: ${result.note}`)];
        if (lines.length === 0) return { kind: 'ignored', refund };
        const next: Refund = { ...refund, updatedAt: now, version: refund.version + 1 };
        await this.refunds.update(next, refund.version, lines);
        this.refundWaiters.publish(next);
        return { kind: 'ignored', refund: next };
      }
      case 'rejected':
        throw new IllegalTransitionError(refund.state, event.type);
    }
  }
}
