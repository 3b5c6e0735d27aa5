/**
 * The one place a payment changes: load, run the state machine, store with a version check together with
 * the history and (for a cancel) the outbox message, publish. A concurrent change (an inquiry racing a
 * notification or the gateway timeout) makes the update fail on its version; the event is then re-applied
 * to the fresh row, where the state machine decides again — so a cancel decided in between always wins.
 */
import { IllegalTransitionError, NotOwnerError, PaymentNotFoundError, VersionConflictError } from '../domain/errors';
import { isFinal, ownedElsewhere, type Payment } from '../domain/payment';
import { transition, type PaymentEffect, type PaymentEventInput } from '../domain/payment-state';
import { cancelOrderFor } from './cancel-order';
import type { CancelDecisions } from './ports/cancel-decisions.port';
import type { FinalStateWaiters } from './final-state-waiters';
import { note, stateChanged } from './history';
import { OneChangeAtATime } from './one-change-at-a-time';
import type { Clock } from './ports/clock.port';
import type { OutboxMessage, PaymentEvent, PaymentRepository } from './ports/payment.repository.port';

export type Applied =
  | { kind: 'changed'; payment: Payment; effects: PaymentEffect[] }
  | { kind: 'ignored'; payment: Payment; note: string };

export interface ApplyOptions {
  /**
   * Nothing is written when the event only restates where the payment already stands (a resent or late
   * "success" for an approved payment): the caller keeps its own record of it (the notification log).
   */
  silentWhenRestated?: boolean;
  /** Nobody waits on the write (see PaymentRepository.update): it may share a round trip with others. */
  unhurried?: boolean;
}

const MAX_ATTEMPTS = 8;

export class PaymentTransitions {
  constructor(
    private readonly repository: PaymentRepository,
    private readonly clock: Clock,
    private readonly waiters: FinalStateWaiters<Payment>,
    private readonly cancelDecisions?: CancelDecisions,
    /** This engine's instance: `applyAsOwner` refuses payments another instance drives. */
    private readonly instanceId?: string,
  ) {}

  private readonly changes = new OneChangeAtATime();

  /** Applies `event`; `history` (e.g. the Alipay call that produced it) is stored with the result either way. */
  apply(
    paymentId: string,
    event: PaymentEventInput,
    history: PaymentEvent[] = [],
    options: ApplyOptions = {},
  ): Promise<Applied> {
    return this.changes.run(paymentId, () => this.applyFresh(paymentId, event, history, false, options));
  }

  /**
   * Like apply, for what only the owner decides (an inquiry it ran, its gateway timeout): when the payment,
   * read again after a version conflict, is driven by another instance (a takeover bumped its version),
   * nothing is written and NotOwnerError is thrown. The fence is the version check itself: the row is
   * written only at the version whose owner was checked.
   */
  applyAsOwner(paymentId: string, event: PaymentEventInput, history: PaymentEvent[] = []): Promise<Applied> {
    return this.changes.run(paymentId, () => this.applyFresh(paymentId, event, history, true));
  }

  private async applyFresh(
    paymentId: string,
    event: PaymentEventInput,
    history: PaymentEvent[],
    asOwner: boolean,
    options: ApplyOptions = {},
  ): Promise<Applied> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.repository.findById(paymentId);
      if (!current) throw new PaymentNotFoundError(paymentId);
      if (asOwner && ownedElsewhere(current, this.instanceId)) throw new NotOwnerError(paymentId, current.ownerInstance);
      try {
        return await this.applyTo(current, event, history, options);
      } catch (err) {
        if (err instanceof VersionConflictError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  /**
   * Like apply, starting from a payment the caller has just read (saves a read on a busy path); a stale
   * copy fails its version check and the event is applied to the fresh row as usual.
   */
  applyFrom(current: Payment, event: PaymentEventInput, history: PaymentEvent[] = []): Promise<Applied> {
    return this.changes.run(current.id, async () => {
      try {
        return await this.applyTo(current, event, history);
      } catch (err) {
        if (err instanceof VersionConflictError) return this.applyFresh(current.id, event, history, false);
        throw err;
      }
    });
  }

  /**
   * Adds history lines without any state change (e.g. "cancel retry 3 failed"). `known` is a copy the
   * caller has just read, tried first.
   */
  appendHistory(
    paymentId: string,
    lines: (payment: Payment) => PaymentEvent[],
    known?: Payment,
  ): Promise<Payment> {
    return this.changes.run(paymentId, () => this.appendHistoryNow(paymentId, lines, known));
  }

  private async appendHistoryNow(
    paymentId: string,
    lines: (payment: Payment) => PaymentEvent[],
    known?: Payment,
  ): Promise<Payment> {
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 && known ? known : await this.repository.findById(paymentId);
      if (!current) throw new PaymentNotFoundError(paymentId);
      const next: Payment = { ...current, updatedAt: this.clock.now(), version: current.version + 1 };
      try {
        await this.repository.update(next, current.version, lines(current));
        this.waiters.publish(next);
        return next;
      } catch (err) {
        if (err instanceof VersionConflictError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async applyTo(
    current: Payment,
    event: PaymentEventInput,
    history: PaymentEvent[],
    options: ApplyOptions = {},
  ): Promise<Applied> {
    const now = this.clock.now();
    const result = transition(current, event, now);
    const subject = { paymentId: current.id };
    switch (result.kind) {
      case 'changed': {
        const next = withoutOwnerOnceFinal({ ...result.payment, version: current.version + 1 });
        const outbox: OutboxMessage[] = [];
        for (const effect of result.effects) {
          if (effect.kind === 'enqueue-cancel')
            outbox.push(cancelOrderFor(next, effect.reason, now));
        }
        const line =
          next.state === current.state
            ? note(subject, now, describe(event))
            : stateChanged(subject, now, current.state, next.state, describe(event));
        await this.repository.update(next, current.version, [...history, line], outbox, {
          unhurried: options.unhurried === true,
        });
        this.waiters.publish(next);
        for (const effect of result.effects) {
          if (effect.kind === 'enqueue-cancel') this.cancelDecisions?.decided(next, effect.reason);
        }
        return { kind: 'changed', payment: next, effects: result.effects };
      }
      case 'ignored': {
        if (options.silentWhenRestated && restates(current, event))
          return { kind: 'ignored', payment: current, note: result.note };
        // "Still in doubt" repeats every few seconds: the call itself is history enough.
        const lines =
          event.type === 'alipay-in-doubt'
            ? history
            : [...history, note(subject, now, `${describe(event)} ignored: ${result.note}`)];
        if (lines.length === 0) return { kind: 'ignored', payment: current, note: result.note };
        const next: Payment = { ...current, updatedAt: now, version: current.version + 1 };
        await this.repository.update(next, current.version, lines);
        this.waiters.publish(next);
        return { kind: 'ignored', payment: next, note: result.note };
      }
      case 'rejected':
        throw new IllegalTransitionError(current.state, event.type);
    }
  }
}

/** The event says what the payment already settled on: approved as approved, declined as declined. */
function restates(payment: Payment, event: PaymentEventInput): boolean {
  return (
    (event.type === 'alipay-approved' && payment.state === 'APPROVED') ||
    (event.type === 'alipay-declined' && payment.state === 'DECLINED')
  );
}

/** A final payment needs no driver: clearing its owner keeps the owner index to the unfinished ones. */
function withoutOwnerOnceFinal(payment: Payment): Payment {
  if (payment.ownerInstance === undefined || !isFinal(payment)) return payment;
  const rest: { -readonly [K in keyof Payment]?: Payment[K] } = { ...payment };
  delete rest.ownerInstance;
  return rest as Payment;
}

function describe(event: PaymentEventInput): string {
  switch (event.type) {
    case 'alipay-approved':
      return 'alipay approved';
    case 'alipay-declined':
      return `alipay declined: ${event.reason} (${event.code})`;
    case 'alipay-in-doubt':
      return 'alipay outcome in doubt';
    case 'approval-delivery':
      return event.delivered
        ? 'approval delivered to the terminal'
        : 'approval not delivered to the terminal';
    case 'answered-without-approval':
      return 'the terminal is answered without an approval: an approval from now on is undelivered';
    case 'cancel-requested':
      return `cancel requested: ${event.reason}`;
    case 'cancel-confirmed':
      return 'alipay confirmed the cancel';
    case 'cancel-gave-up':
      return 'cancel retries exhausted: manual intervention';
    case 'reversed-before-arrival':
      return 'reversed by the terminal before it arrived: declined without calling Alipay';
    case 'deadline-passed-before-pay':
      return "the terminal's reply deadline passed before the pay call: declined without calling Alipay";
  }
}
