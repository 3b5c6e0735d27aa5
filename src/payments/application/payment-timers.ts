/**
 * The timers of in-flight payments:
 * - inquiries at the channel's rhythm while Alipay has no definite answer, up to the gateway timeout;
 * - the gateway timeout, which cancels whatever did not end as a delivered approval, a decline or a cancel.
 * Timers live in this process; after a restart ResumeUnfinished re-arms them from the database. With
 * several instances they run only at the payment's owner: a timer that finds the payment taken over by
 * another instance (or whose write the takeover fenced off) stops, and the new owner's timers decide.
 */
import { NotOwnerError } from '../domain/errors';
import { isOpen, ownedElsewhere, type Payment } from '../domain/payment';
import { inquiryDueAt } from '../domain/inquiry-rhythm';
import { isPastGatewayDeadline, mustCancelAtGatewayTimeout } from '../domain/timeouts';
import type { PaymentInquirer } from './payment-inquirer';
import type { PaymentTransitions } from './payment-transitions';
import type { PaymentsConfig } from './payments.config';
import type { Clock } from './ports/clock.port';
import type { PaymentsLog } from './ports/log.port';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { Scheduler, TimerHandle } from './ports/scheduler.port';

export class PaymentTimers {
  private readonly inquiries = new Map<string, TimerHandle>();
  private readonly gateway = new Map<string, TimerHandle>();
  private disposed = false;

  constructor(
    private readonly repository: PaymentRepository,
    private readonly inquirer: PaymentInquirer,
    private readonly transitions: PaymentTransitions,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
    private readonly log: PaymentsLog,
  ) {}

  armGatewayTimeout(payment: Payment): void {
    // The timer keeps only the id: a payment object held for the 75 s of every purchase made the young
    // generation copy and promote each one, and the switch's scavenges took tens of milliseconds.
    const paymentId = payment.id;
    this.set(this.gateway, paymentId, payment.gatewayDeadlineAt, () => this.onGatewayTimeout(paymentId));
  }

  /**
   * Drops the gateway timeout of a payment it can no longer concern: an approval recorded as delivered
   * stays delivered whatever comes later (payment-state.ts), so the timer would only read it and stop.
   */
  disarmGatewayTimeout(paymentId: string): void {
    this.gateway.get(paymentId)?.cancel();
    this.gateway.delete(paymentId);
  }

  /** First inquiry at the channel's first delay after the pay call started, then at its interval. */
  startInquiries(payment: Payment, payStartedAt: Date): void {
    this.scheduleInquiry(payment, inquiryDueAt(this.config.inquiryRhythms[payment.channel], payStartedAt, 0));
  }

  /** Next inquiry one interval from now (after a restart, or after an inquiry answered "not yet"). */
  continueInquiries(payment: Payment): void {
    const rhythm = this.config.inquiryRhythms[payment.channel];
    this.scheduleInquiry(payment, new Date(this.clock.now().getTime() + rhythm.intervalMs));
  }

  stopInquiries(paymentId: string): void {
    this.inquiries.get(paymentId)?.cancel();
    this.inquiries.delete(paymentId);
  }

  /** Stops both timers of a payment another instance now drives. */
  handOver(paymentId: string, owner: string | undefined): void {
    this.stopInquiries(paymentId);
    this.disarmGatewayTimeout(paymentId);
    this.log.info({ paymentId, owner }, 'payment driven by another instance: its timers stop here');
  }

  /** Whether this process has a timer for the payment (tests: a fenced owner has none left). */
  isArmed(paymentId: string): boolean {
    return this.inquiries.has(paymentId) || this.gateway.has(paymentId);
  }

  /** Timers currently armed (for tests and metrics). */
  armed(): { inquiries: number; gatewayTimeouts: number } {
    return { inquiries: this.inquiries.size, gatewayTimeouts: this.gateway.size };
  }

  dispose(): void {
    this.disposed = true;
    for (const handle of [...this.inquiries.values(), ...this.gateway.values()]) handle.cancel();
    this.inquiries.clear();
    this.gateway.clear();
  }

  private scheduleInquiry(payment: Payment, at: Date): void {
    // Past the gateway deadline the gateway timeout decides; no point asking again.
    if (at.getTime() >= payment.gatewayDeadlineAt.getTime()) return;
    const paymentId = payment.id;
    this.set(this.inquiries, paymentId, at, () => this.onInquiryDue(paymentId));
  }

  private async onInquiryDue(paymentId: string): Promise<void> {
    let current: Payment | undefined;
    try {
      current = await this.repository.findById(paymentId);
      if (!current || !isOpen(current) || isPastGatewayDeadline(current, this.clock.now())) return;
      if (ownedElsewhere(current, this.config.instanceId)) return this.handOver(paymentId, current.ownerInstance);
      const after = (await this.inquirer.inquireOnce(current, true)).payment;
      if (isOpen(after)) this.continueInquiries(after);
    } catch (err) {
      if (err instanceof NotOwnerError) return this.handOver(paymentId, err.owner);
      this.log.error({ paymentId, err: describeError(err) }, 'inquiry failed; will try again');
      if (current && isOpen(current)) {
        this.scheduleInquiry(current, new Date(this.clock.now().getTime() + this.config.retryAfterErrorMs));
      }
    }
  }

  private async onGatewayTimeout(paymentId: string): Promise<void> {
    try {
      const payment = await this.repository.findById(paymentId);
      if (!payment || !mustCancelAtGatewayTimeout(payment)) return;
      if (ownedElsewhere(payment, this.config.instanceId)) return this.handOver(paymentId, payment.ownerInstance);
      this.stopInquiries(paymentId);
      await this.transitions.applyAsOwner(paymentId, { type: 'cancel-requested', reason: 'gateway-timeout' });
    } catch (err) {
      if (err instanceof NotOwnerError) return this.handOver(paymentId, err.owner);
      // The cancel decision must not be lost to a database hiccup: try again until it is stored.
      this.log.error({ paymentId, err: describeError(err) }, 'gateway-timeout cancel failed; will try again');
      this.set(
        this.gateway,
        paymentId,
        new Date(this.clock.now().getTime() + this.config.retryAfterErrorMs),
        () => this.onGatewayTimeout(paymentId),
      );
    }
  }

  private set(
    timers: Map<string, TimerHandle>,
    paymentId: string,
    at: Date,
    task: () => Promise<void>,
  ): void {
    if (this.disposed) return;
    timers.get(paymentId)?.cancel();
    const handle = this.scheduler.at(at, () => {
      if (timers.get(paymentId) === handle) timers.delete(paymentId);
      void task();
    });
    timers.set(paymentId, handle);
  }
}

export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
