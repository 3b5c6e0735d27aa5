/**
 * Wires the engine's parts from its ports. Plain TypeScript: the Nest module calls this once, and unit
 * tests call it with in-memory ports and a scripted channel.
 */
import type { Payment } from '../domain/payment';
import type { RandomBytes } from '../domain/random';
import type { Refund } from '../domain/refund';
import { CancellationService } from './cancellation.service';
import { FinalStateWaiters } from './final-state-waiters';
import { InAppOrderService } from './in-app-order.service';
import { InquiryService } from './inquiry.service';
import { NotificationResults } from './notification-results';
import { OriginalLocator } from './original-locator';
import { PaymentInquirer } from './payment-inquirer';
import { PaymentOwnership } from './payment-ownership';
import { PaymentTimers } from './payment-timers';
import { PaymentTransitions } from './payment-transitions';
import type { PaymentsConfig } from './payments.config';
import type { Clock } from './ports/clock.port';
import type { EarlyReversals } from './ports/early-reversals.port';
import type { InstanceLeases } from './ports/instance-leases.port';
import { silentLog, type PaymentsLog } from './ports/log.port';
import type { ManualInterventions } from './ports/manual-interventions.port';
import type { MerchantChannels } from './ports/merchant-channels.port';
import type { PaymentRepository } from './ports/payment.repository.port';
import type { CancelDecisions } from './ports/cancel-decisions.port';
import type { RefundAllowance } from './ports/refund-allowance.port';
import type { RefundRepository } from './ports/refund.repository.port';
import type { Scheduler } from './ports/scheduler.port';
import { PurchaseService } from './purchase.service';
import { RefundAttempts } from './refund-attempts';
import { RefundService } from './refund.service';
import { RefundTransitions } from './refund-transitions';
import { ResumeUnfinished } from './resume-unfinished.service';
import { SettledAnswers } from './settled-answers';
import { systemClock, TimeoutScheduler } from './system-time';

export interface PaymentsEngineDeps {
  payments: PaymentRepository;
  refunds: RefundRepository;
  merchants: MerchantChannels;
  config: PaymentsConfig;
  /** Where cancels and refunds given up on are listed for people (src/reversals stores them); without it none is listed. */
  manualInterventions?: ManualInterventions;
  /** Reversals stored before their purchase arrived; without it no purchase is checked. */
  earlyReversals?: EarlyReversals;
  /** Merchants' daily refund limits; without it refunds are not limited per day. */
  refundAllowance?: RefundAllowance;
  /** Told of every committed cancel decision (metrics). */
  cancelDecisions?: CancelDecisions;
  /** Leases of the instances sharing the database; with config.instanceId, this engine drives only its own payments. */
  leases?: InstanceLeases;
  clock?: Clock;
  scheduler?: Scheduler;
  log?: PaymentsLog;
  random?: RandomBytes;
}

export interface PaymentsEngine {
  purchase: PurchaseService;
  refund: RefundService;
  inquiry: InquiryService;
  cancellation: CancellationService;
  notifications: NotificationResults;
  resume: ResumeUnfinished;
  /** Finds the transaction a reversal names (src/reversals reuses it). */
  originals: OriginalLocator;
  timers: PaymentTimers;
  refundAttempts: RefundAttempts;
  /** Orders paid in the Alipay app (H5 + tradePay): booked like purchases, settled by notification or inquiry. */
  inAppOrders: InAppOrderService;
  /** Present when the engine shares its database with other instances (leases and config.instanceId given). */
  ownership?: PaymentOwnership;
  /** Reports whether an approval answered by the engine reached the terminal. Never rejects. */
  recordDelivery(approvalOf: { type: 'payment' | 'refund'; id: string }, delivered: boolean): Promise<void>;
  /** Stops every timer (shutdown); the next start resumes what was in flight. */
  dispose(): void;
}

export function createPaymentsEngine(deps: PaymentsEngineDeps): PaymentsEngine {
  const clock = deps.clock ?? systemClock;
  const scheduler = deps.scheduler ?? new TimeoutScheduler(clock);
  const log = deps.log ?? silentLog;
  const { payments, refunds, config, random } = deps;

  const paymentWaiters = new FinalStateWaiters<Payment>(scheduler);
  const refundWaiters = new FinalStateWaiters<Refund>(scheduler);
  const merchants = deps.merchants;
  const originals = new OriginalLocator(payments, refunds);
  const settled = new SettledAnswers(payments, refunds, paymentWaiters, refundWaiters, config);
  const transitions = new PaymentTransitions(payments, clock, paymentWaiters, deps.cancelDecisions, config.instanceId);
  const refundTransitions = new RefundTransitions(refunds, payments, clock, refundWaiters, paymentWaiters);
  const inquirer = new PaymentInquirer(merchants, transitions, clock, log, random);
  const timers = new PaymentTimers(payments, inquirer, transitions, scheduler, clock, config, log);
  const refundAttempts = new RefundAttempts(
    refunds,
    payments,
    merchants,
    refundTransitions,
    scheduler,
    clock,
    config,
    log,
    random,
    deps.manualInterventions,
  );

  const purchase = new PurchaseService(
    payments,
    originals,
    merchants,
    transitions,
    timers,
    settled,
    clock,
    scheduler,
    config,
    log,
    random,
    deps.earlyReversals,
  );
  const refund = new RefundService(
    refunds,
    originals,
    merchants,
    refundTransitions,
    refundAttempts,
    settled,
    paymentWaiters,
    clock,
    scheduler,
    config,
    random,
    deps.refundAllowance,
  );

  const ownership =
    deps.leases && config.instanceId !== undefined
      ? new PaymentOwnership(deps.leases, payments, refunds, scheduler, clock, { instanceId: config.instanceId, leaseMs: config.leaseMs, alone: config.soleInstance ?? false }, log)
      : undefined;

  return {
    purchase,
    refund,
    inquiry: new InquiryService(originals, inquirer, log),
    cancellation: new CancellationService(
      payments,
      originals,
      transitions,
      timers,
      clock,
      deps.manualInterventions,
    ),
    notifications: new NotificationResults(payments, transitions, clock, random),
    resume: new ResumeUnfinished(
      payments,
      refunds,
      inquirer,
      transitions,
      timers,
      refundAttempts,
      clock,
      log,
      config.inAppTerminalId,
      ownership && (() => ownership.leftoversAtStart()),
    ),
    originals,
    timers,
    refundAttempts,
    inAppOrders: new InAppOrderService(payments, merchants, transitions, timers, clock, config, random),
    ownership,
    async recordDelivery(approvalOf, delivered) {
      try {
        if (approvalOf.type === 'payment') await purchase.recordDelivery(approvalOf.id, delivered);
        else await refund.recordDelivery(approvalOf.id, delivered);
      } catch (err) {
        // The purchase side already retried until the gateway deadline. Left unrecorded, the approval's
        // delivery stays unknown, which counts as delivered: only the terminal's reversal cancels it.
        log.error(
          { ...approvalOf, delivered, err: err instanceof Error ? err.message : String(err) },
          'recording delivery failed',
        );
      }
    },
    dispose() {
      timers.dispose();
      refundAttempts.dispose();
    },
  };
}
