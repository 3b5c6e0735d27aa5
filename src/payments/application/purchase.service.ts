/**
 * A purchase (processing code 00): checks, stores the payment (RECEIVED) before Alipay hears of it, calls
 * pay and answers from what the call stored, or in doubt when the terminal's time is up first. Only a
 * purchase the pay call left in doubt (or a retransmission) waits for someone else to settle it: the
 * inquiries, a notification, a reversal or the gateway timeout. Whatever happens after the answer carries
 * on in the background.
 */
import { currencyByNumeric, type CurrencyInfo } from '@switch/alipay';
import { randomUUID } from 'node:crypto';
import { DuplicateTransactionError } from '../domain/errors';
import { newApprovalCode, newRrn } from '../domain/identifiers';
import { exceedsPurchaseMax } from '../domain/merchant-limits';
import { isOpen, paymentStart, type Payment } from '../domain/payment';
import { checkPaymentCode, hashPaymentCode, maskPaymentCode } from '../domain/payment-code';
import { newPaymentRequestId } from '../domain/payment-request-id';
import type { RandomBytes } from '../domain/random';
import { fingerprintOf, matchStanUses } from '../domain/retransmission';
import { deadlineAfter, isPastGatewayDeadline, mustCancelAtGatewayTimeout } from '../domain/timeouts';
import { callChannel, eventFromPay } from './channel-events';
import { paymentAnswer, waitEnd, type EngineAnswer, type PurchaseCommand } from './commands';
import { alipayCall, stateChanged } from './history';
import type { OriginalLocator } from './original-locator';
import type { PaymentTimers } from './payment-timers';
import { describeError } from './payment-timers';
import type { PaymentTransitions } from './payment-transitions';
import type { PaymentsConfig } from './payments.config';
import type { Clock } from './ports/clock.port';
import type { EarlyReversals } from './ports/early-reversals.port';
import type { MerchantChannels, MerchantRoute } from './ports/merchant-channels.port';
import type { PaymentsLog } from './ports/log.port';
import type { NewPurchaseStored, PaymentEvent, PaymentRepository } from './ports/payment.repository.port';
import { settledBefore, type Scheduler } from './ports/scheduler.port';
import type { SettledAnswers } from './settled-answers';

/** Inserting can collide on the STAN (a racing retransmission) or, very rarely, on a random id: try again. */
const MAX_INSERT_ATTEMPTS = 4;

export class PurchaseService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly originals: OriginalLocator,
    private readonly merchants: MerchantChannels,
    private readonly transitions: PaymentTransitions,
    private readonly timers: PaymentTimers,
    private readonly settled: SettledAnswers,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly config: PaymentsConfig,
    private readonly log: PaymentsLog,
    private readonly random?: RandomBytes,
    private readonly earlyReversals?: EarlyReversals,
  ) {}

  async purchase(command: PurchaseCommand): Promise<EngineAnswer> {
    const paymentCodeHash = hashPaymentCode(command.paymentCode, this.config.paymentCodeHashKey);
    const fingerprint = { ...fingerprintOf(command), paymentCodeHash };

    for (let attempt = 1; attempt <= MAX_INSERT_ATTEMPTS; attempt++) {
      const checked = await this.check(command);
      // The usual purchase (checks passed, its STAN free) is stored in one step with its early-reversal probe.
      if (!('outcome' in checked)) {
        const payment = this.newPayment(command, checked.route, paymentCodeHash);
        const stored = await this.store(payment, (p, history) => this.payments.insertIfStanFree(p, history));
        if (stored === 'collided') continue;
        if (stored.stored) return this.paid(payment, checked, command, stored.reversalOnFile);
      }
      // The STAN is or may be in use, or the request is refused: a retransmission still gets its original's answer.
      const uses = await this.originals.usesOfStan(command.terminalId, command.stan);
      const match = matchStanUses(fingerprint, uses);
      if (match.kind === 'duplicate') return { outcome: { kind: 'duplicate' } };
      if (match.kind === 'retransmission') {
        if (match.original.type !== 'payment') return { outcome: { kind: 'duplicate' } };
        const paymentId = match.original.payment.id;
        return this.beforeWriting(
          paymentId,
          await this.settled.forPayment(paymentId, command.replyDeadlineAt, true),
        );
      }
      if ('outcome' in checked) return checked;
      const payment = this.newPayment(command, checked.route, paymentCodeHash);
      const stored = await this.store(payment, async (p, history) => {
        await this.payments.insert(p, history);
        return { stored: true, reversalOnFile: true } as const;
      });
      if (stored === 'collided') continue;
      if (stored.stored) return this.paid(payment, checked, command, stored.reversalOnFile);
    }
    return { outcome: { kind: 'system-error' } };
  }

  /** Stores the new payment with its first history line; 'collided' on a racing STAN or a duplicate id. */
  private async store(
    payment: Payment,
    insert: (payment: Payment, history: PaymentEvent[]) => Promise<NewPurchaseStored>,
  ): Promise<NewPurchaseStored | 'collided'> {
    try {
      return await insert(payment, [
        stateChanged({ paymentId: payment.id }, payment.createdAt, undefined, 'RECEIVED', 'purchase received'),
      ]);
    } catch (err) {
      if (err instanceof DuplicateTransactionError) return 'collided';
      throw err;
    }
  }

  /** The stored purchase paid (or refused) and answered. */
  private async paid(
    payment: Payment,
    checked: { route: MerchantRoute; currency: CurrencyInfo },
    command: PurchaseCommand,
    reversalOnFile: boolean,
  ): Promise<EngineAnswer> {
    this.timers.armGatewayTimeout(payment);
    let answer: EngineAnswer;
    try {
      answer = await this.payAndAnswer(payment, checked, command, reversalOnFile);
    } catch (err) {
      this.log.error({ paymentId: payment.id, err: describeError(err) }, 'purchase failed after it was stored');
      answer = { outcome: { kind: 'system-error' } };
    }
    return this.beforeWriting(payment.id, answer);
  }

  private async payAndAnswer(
    payment: Payment,
    checked: { route: MerchantRoute; currency: CurrencyInfo },
    command: PurchaseCommand,
    reversalOnFile: boolean,
  ): Promise<EngineAnswer> {
    // Checked after the insert, not before: a reversal stored between a check and the insert would
    // otherwise be missed, while the reversal side looks for the original again after storing itself.
    if (reversalOnFile && (await this.earlyReversals?.claimFor(payment))) {
      const applied = await this.transitions.apply(payment.id, { type: 'reversed-before-arrival' });
      return paymentAnswer(applied.payment, command.replyDeadlineAt);
    }
    const refusal = await this.reasonNotToPay(payment, command);
    if (refusal) return paymentAnswer(refusal, command.replyDeadlineAt);
    const paid = await settledBefore(
      this.pay(payment, checked.route, command.paymentCode, checked.currency),
      waitEnd(command.replyDeadlineAt, this.config.replyMarginMs),
      this.scheduler,
    );
    if (paid === 'due') return paymentAnswer(payment, command.replyDeadlineAt);
    if (paid && !isOpen(paid)) return paymentAnswer(paid, command.replyDeadlineAt);
    return this.settled.forPayment(payment.id, command.replyDeadlineAt);
  }

  /**
   * The payment as it must be answered without calling pay, or undefined to call it. Not paid when a
   * reversal moved it on (CANCEL_REQUESTED: the cancel already decided settles it) or when the terminal's
   * time is up (declined, REPLY_DEADLINE_PASSED): money taken then could only be cancelled again. The read
   * is served by the repository's recent-payments cache in the usual case (a reversal handled by this
   * process updated it), so it costs no database round trip.
   */
  private async reasonNotToPay(payment: Payment, command: PurchaseCommand): Promise<Payment | undefined> {
    const current = await this.payments.findById(payment.id);
    if (current && current.state !== 'RECEIVED') return current;
    if (this.clock.now().getTime() < waitEnd(command.replyDeadlineAt, this.config.replyMarginMs).getTime()) return undefined;
    this.log.warn({ paymentId: payment.id }, "terminal's reply deadline passed before the pay call; declined unpaid");
    return (await this.transitions.apply(payment.id, { type: 'deadline-passed-before-pay' })).payment;
  }

  /**
   * An answer that is not an approval, for a payment Alipay may still approve (91 in doubt, a system
   * error), is stored before it is written: an approval learned afterwards is then known undelivered and
   * cancelled at the gateway timeout. (An approval is written first and its delivery recorded after.)
   * Should the store fail, it is tried again in the background until the gateway deadline.
   */
  private async beforeWriting(paymentId: string, answer: EngineAnswer): Promise<EngineAnswer> {
    if (answer.outcome.kind !== 'in-doubt' && answer.outcome.kind !== 'system-error') return answer;
    const store = () => this.transitions.apply(paymentId, { type: 'answered-without-approval' });
    try {
      await store();
    } catch (err) {
      this.log.error({ paymentId, err: describeError(err) }, 'storing the answer failed; trying again');
      void this.retryUntilGatewayDeadline(paymentId, store);
    }
    return answer;
  }

  /**
   * The terminal did (true) or did not (false) receive an approval the engine answered. Tried until it is
   * stored or the gateway deadline passes: unrecorded, the approval counts as delivered. An undelivered one
   * recorded after the gateway timeout looked is cancelled here.
   */
  async recordDelivery(paymentId: string, delivered: boolean): Promise<void> {
    const record = async () => {
      // A delivered approval's record is unhurried (it shares a round trip with the others of the moment):
      // until it is written the approval counts as delivered, for the engine and reconciliation alike, as
      // after a crash. A failed delivery is written at once: it decides a cancel.
      const applied = await this.transitions.apply(paymentId, { type: 'approval-delivery', delivered }, [], {
        unhurried: delivered,
      });
      const payment = applied.payment;
      if (payment.state === 'APPROVED' && payment.delivery === 'delivered') this.timers.disarmGatewayTimeout(paymentId);
      if (mustCancelAtGatewayTimeout(payment) && isPastGatewayDeadline(payment, this.clock.now())) {
        await this.transitions.apply(paymentId, { type: 'cancel-requested', reason: 'gateway-timeout' });
      }
    };
    try {
      await record();
    } catch (err) {
      this.log.error(
        { paymentId, delivered, err: describeError(err) },
        'recording delivery failed; trying again',
      );
      await this.retryUntilGatewayDeadline(paymentId, record);
    }
  }

  private async retryUntilGatewayDeadline(paymentId: string, work: () => Promise<unknown>): Promise<void> {
    const giveUpAt = this.clock.now().getTime() + this.config.gatewayTimeoutMs;
    for (;;) {
      await new Promise<void>((resolve) =>
        this.scheduler.at(new Date(this.clock.now().getTime() + this.config.retryAfterErrorMs), resolve),
      );
      try {
        await work();
        return;
      } catch (err) {
        const payment = await this.payments.findById(paymentId).catch(() => undefined);
        const deadline = payment?.gatewayDeadlineAt.getTime() ?? giveUpAt;
        if (this.clock.now().getTime() >= deadline) {
          this.log.error({ paymentId, err: describeError(err) }, 'gave up storing past the gateway deadline');
          return;
        }
      }
    }
  }

  private async check(
    command: PurchaseCommand,
  ): Promise<{ route: MerchantRoute; currency: CurrencyInfo } | EngineAnswer> {
    if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) {
      return { outcome: { kind: 'invalid', problem: 'amount' } };
    }
    const currency = currencyByNumeric(command.currencyNumeric);
    if (!currency) return { outcome: { kind: 'invalid', problem: 'currency' } };
    const route = await this.merchants.route(command.merchantId, command.terminalId);
    if (!route || route.merchant.status !== 'active')
      return { outcome: { kind: 'invalid', problem: 'merchant-unavailable' } };
    if (!checkPaymentCode(command.paymentCode, route.merchant.channel).ok) {
      return { outcome: { kind: 'invalid', problem: 'payment-code' } };
    }
    // Refused before anything is stored or sent: Alipay never hears of a purchase the acquirer does not allow.
    if (exceedsPurchaseMax(route.merchant.limits, command.amountMinor))
      return { outcome: { kind: 'declined', reason: 'amount-limit' } };
    return { route, currency };
  }

  private newPayment(command: PurchaseCommand, route: MerchantRoute, paymentCodeHash: string): Payment {
    const now = this.clock.now();
    return {
      id: randomUUID(),
      paymentRequestId: newPaymentRequestId(
        { at: now, terminalId: command.terminalId, amountMinor: command.amountMinor, stan: command.stan },
        this.random,
      ),
      terminalId: command.terminalId,
      merchantId: command.merchantId,
      stan: command.stan,
      localDateTime: command.localDateTime,
      rrn: newRrn(now, this.random),
      requestMti: command.requestMti,
      processingCode: command.processingCode,
      amountMinor: command.amountMinor,
      currencyNumeric: command.currencyNumeric,
      paymentCodeMasked: maskPaymentCode(command.paymentCode),
      paymentCodeHash,
      channel: route.merchant.channel,
      merchantDeadlineAt: command.replyDeadlineAt,
      gatewayDeadlineAt: deadlineAfter(now, this.config.gatewayTimeoutMs),
      ...paymentStart(now, this.config.instanceId),
    };
  }

  /**
   * The pay call and its stored outcome: the payment as it now is, or undefined when the outcome could not
   * be stored. Outlives the terminal's wait when Alipay is slow; never rejects.
   */
  private async pay(
    payment: Payment,
    route: MerchantRoute,
    paymentCode: string,
    currency: CurrencyInfo,
  ): Promise<Payment | undefined> {
    const startedAt = this.clock.now();
    const outcome = await callChannel(
      (channel) =>
        channel.pay({
          paymentRequestId: payment.paymentRequestId,
          paymentCode,
          amount: { amountMinor: payment.amountMinor, currency: currency.alpha },
          subject: route.merchant.storeName || route.merchant.merchantName,
          merchant: route.context,
          terminalRequestTime: startedAt,
          ...(route.merchant.notifyUrl !== undefined ? { notifyUrl: route.merchant.notifyUrl } : {}),
        }),
      route.channel,
    );
    try {
      const history = [
        alipayCall({ paymentId: payment.id }, startedAt, 'pay', payment.paymentRequestId, outcome),
      ];
      const applied = await this.transitions.apply(
        payment.id,
        eventFromPay(outcome, () => newApprovalCode(this.random)),
        history,
      );
      if (isOpen(applied.payment)) this.timers.startInquiries(applied.payment, startedAt);
      return applied.payment;
    } catch (err) {
      // The answer could not be stored: inquiries will learn it again (or the gateway timeout cancels).
      this.log.error({ paymentId: payment.id, err: describeError(err) }, 'storing the pay outcome failed');
      this.timers.startInquiries(payment, startedAt);
      return undefined;
    }
  }
}
