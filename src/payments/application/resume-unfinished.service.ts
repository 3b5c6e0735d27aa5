/**
 * After a (re)start, picks up every payment and refund the engine had not finished, because its timers
 * died with the old process:
 * - past its gateway timeout and not a delivered approval, decline or cancel: cancelled;
 * - RECEIVED or AWAITING_ALIPAY: inquired once; approved or declined as Alipay says; unknown to Alipay:
 *   cancelled (when in doubt, cancel: a cancel of an order Alipay never saw is harmless, and the clear
 *   payment code is gone, so the pay is never sent again); still processing: inquiries and the gateway
 *   timeout re-armed;
 * - APPROVED with its delivery unknown (the process died between writing the 00 and recording it): counted
 *   as delivered; the terminal that did not get it reverses it;
 * - APPROVED and known undelivered: the gateway timeout re-armed (a retransmission may still deliver it);
 * - RECEIVED or AWAITING_ALIPAY are first marked as answered without an approval, since none was written
 *   (not when the channel learns results later, domain/result-channel.ts: REST payments and in-app orders);
 * - CANCEL_REQUESTED: nothing here; its cancel order is durable in the outbox;
 * - refunds RECEIVED or PENDING: the refund call is made again with the same refundRequestId.
 * Only what was stored before this process started is resumed: a purchase being paid meanwhile is not a
 * leftover. With several instances (`leftovers` given, see PaymentOwnership) only this instance's own payments and
 * refunds and those it took over from lapsed owners are resumed: another live instance's are its own
 * business. What is taken over later, while running, goes the same way (`resumeTakenOver`).
 */
import { isOpen, type Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import { learnsResultsLater } from '../domain/result-channel';
import { isPastGatewayDeadline, mustCancelAtGatewayTimeout } from '../domain/timeouts';
import { note } from './history';
import type { PaymentInquirer } from './payment-inquirer';
import { describeError, type PaymentTimers } from './payment-timers';
import type { PaymentTransitions } from './payment-transitions';
import type { Clock } from './ports/clock.port';
import type { Leftovers } from './ports/instance-leases.port';
import type { PaymentsLog } from './ports/log.port';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';
import type { RefundAttempts } from './refund-attempts';

export interface ResumeReport {
  payments: number;
  cancelled: number;
  settled: number;
  stillInDoubt: number;
  refunds: number;
  failed: number;
}

const CONCURRENCY = 8;

export class ResumeUnfinished {
  /** Without leases: only what was stored before this engine was built is a previous run's leftover. */
  private readonly startedAt: number;

  constructor(
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly inquirer: PaymentInquirer,
    private readonly transitions: PaymentTransitions,
    private readonly timers: PaymentTimers,
    private readonly refundAttempts: RefundAttempts,
    private readonly clock: Clock,
    private readonly log: PaymentsLog,
    private readonly inAppTerminalId?: string,
    /** What this instance must resume at start; without it every unfinished payment and refund (one instance). */
    private readonly leftovers?: () => Promise<Leftovers>,
  ) {
    this.startedAt = clock.now().getTime();
  }

  async resume(): Promise<ResumeReport> {
    const report: ResumeReport = {
      payments: 0,
      cancelled: 0,
      settled: 0,
      stillInDoubt: 0,
      refunds: 0,
      failed: 0,
    };
    const { payments, refunds } = await (this.leftovers ? this.leftovers() : this.everythingUnfinished());
    await this.resumePayments(payments, report);
    await this.resumeRefunds(refunds, report);
    this.log.info({ ...report }, 'unfinished transactions resumed');
    return report;
  }

  /** Payments and refunds claimed from a lapsed instance while running: resumed as after a restart. */
  async resumeTakenOver(claimed: Leftovers): Promise<ResumeReport> {
    const report: ResumeReport = { payments: 0, cancelled: 0, settled: 0, stillInDoubt: 0, refunds: 0, failed: 0 };
    await this.resumePayments(claimed.payments, report);
    await this.resumeRefunds(claimed.refunds, report);
    this.log.info({ ...report }, 'payments taken over resumed');
    return report;
  }

  /**
   * Resuming runs while terminals are already served: a purchase being paid right now is not a leftover
   * (marked answered without an approval, its approval would count undelivered and be cancelled).
   */
  private async everythingUnfinished(): Promise<Leftovers> {
    const before = (row: { createdAt: Date }) => row.createdAt.getTime() < this.startedAt;
    return {
      payments: (await this.payments.findUnfinished()).filter(before),
      refunds: (await this.refunds.findUnfinished()).filter(before),
    };
  }

  /** A refund given up to people is retried by hand only. */
  private async resumeRefunds(found: readonly Refund[], report: ResumeReport): Promise<void> {
    const refunds = found.filter((r) => !r.manualIntervention);
    report.refunds += refunds.length;
    await inBatches(refunds, (refund) => this.refundAttempts.attempt(refund.id));
  }

  private async resumePayments(payments: readonly Payment[], report: ResumeReport): Promise<void> {
    report.payments += payments.length;
    await inBatches(payments, async (payment) => {
      try {
        const result = await this.resumePayment(payment);
        if (result !== 'none') report[result] += 1;
      } catch (err) {
        report.failed += 1;
        this.log.error({ paymentId: payment.id, err: describeError(err) }, 'resuming payment failed');
        this.timers.armGatewayTimeout(payment); // the gateway timeout will still settle it
      }
    });
  }

  private async resumePayment(found: Payment): Promise<'cancelled' | 'settled' | 'stillInDoubt' | 'none'> {
    if (found.state === 'CANCEL_REQUESTED') return 'none';
    if (found.state === 'APPROVED' && found.delivery === 'pending') {
      // Written, or about to be, when the process died: it counts as delivered, and the terminal that did
      // not get it reverses it (ISO practice). Cancelling it could take back a sale the terminal printed.
      await this.transitions.apply(found.id, { type: 'approval-delivery', delivered: true }, [
        note(
          { paymentId: found.id },
          this.clock.now(),
          'delivery unknown after a restart: counted as delivered',
        ),
      ]);
      return 'none';
    }
    // Open when the process died: no approval was written for it (it may have been answered 91, or not at
    // all), so an approval learned from now on is undelivered unless a retransmission delivers it.
    // Not for a channel that learns results later (REST, in-app): no reply was lost, GET or the webhook brings it.
    const payment = isOpen(found) && !learnsResultsLater(found.terminalId, this.inAppTerminalId)
      ? (await this.transitions.apply(found.id, { type: 'answered-without-approval' })).payment
      : found;
    if (isPastGatewayDeadline(payment, this.clock.now())) {
      if (!mustCancelAtGatewayTimeout(payment)) return 'none';
      await this.transitions.apply(payment.id, {
        type: 'cancel-requested',
        reason: isOpen(payment) ? 'in-doubt-on-resume' : 'gateway-timeout',
      });
      return 'cancelled';
    }
    if (!isOpen(payment)) {
      this.timers.armGatewayTimeout(payment);
      return 'none';
    }
    const inquiry = await this.inquirer.inquireOnce(payment);
    if (inquiry.notFound && isOpen(inquiry.payment)) {
      await this.transitions.apply(payment.id, { type: 'cancel-requested', reason: 'in-doubt-on-resume' });
      return 'cancelled';
    }
    this.timers.armGatewayTimeout(inquiry.payment);
    if (isOpen(inquiry.payment)) {
      this.timers.continueInquiries(inquiry.payment);
      return 'stillInDoubt';
    }
    return 'settled';
  }
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    await Promise.all(items.slice(i, i + CONCURRENCY).map(work));
  }
}
