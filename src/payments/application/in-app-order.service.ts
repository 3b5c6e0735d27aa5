/**
 * An order the customer pays in the Alipay app (seed 002, smart restaurant): the switch stores the payment
 * (RECEIVED) before Alipay hears of it, asks Alipay to open a trade for the buyer (alipay.trade.create) and
 * hands its number back for the page's tradePay. From then on it is a payment like any other: the
 * notification or the inquiry rhythm settles it, and the gateway timeout cancels what is still open. No
 * terminal waits for an answer, so nothing here waits for the customer.
 */
import { currencyByNumeric, type CreateOrderOutcome } from '@switch/alipay';
import { randomInt, randomUUID } from 'node:crypto';
import { DuplicateTransactionError } from '../domain/errors';
import { newRrn } from '../domain/identifiers';
import type { Outcome } from '../domain/outcome';
import { paymentOutcome } from '../domain/outcome';
import { paymentStart, type ChannelName, type Payment } from '../domain/payment';
import { hashPaymentCode, maskPaymentCode } from '../domain/payment-code';
import { newPaymentRequestId } from '../domain/payment-request-id';
import type { RandomBytes } from '../domain/random';
import { deadlineAfter } from '../domain/timeouts';
import { eventFromPay } from './channel-events';
import { alipayCall, stateChanged } from './history';
import type { PaymentTimers } from './payment-timers';
import type { PaymentTransitions } from './payment-transitions';
import type { PaymentsConfig } from './payments.config';
import type { Clock } from './ports/clock.port';
import type { MerchantChannels } from './ports/merchant-channels.port';
import type { PaymentRepository } from './ports/payment.repository.port';

export interface InAppOrderCommand {
  merchantId: string;
  /** The ordering point the payment is booked under (8 characters, like a terminal id). */
  terminalId: string;
  amountMinor: number;
  /** ISO 4217 numeric. */
  currencyNumeric: string;
  /** The Alipay user id alipay.system.oauth.token gave for the page's auth_code. */
  buyerId: string;
  /** What the customer sees in the app, e.g. the store and the table. */
  subject: string;
}

export type InAppOrderResult =
  /** The trade waits for the customer in the app: `tradeNo` goes to tradePay. */
  | { kind: 'created'; payment: Payment; tradeNo: string }
  /** Refused before or by Alipay; `payment` when one was stored. */
  | { kind: 'refused'; outcome: Outcome; payment?: Payment }
  /** Alipay's answer was lost: the trade may exist. Inquiries run and the gateway timeout closes it. */
  | { kind: 'in-doubt'; payment: Payment };

/** Alipay user ids: 2088 and 12 digits. */
export const ALIPAY_USER_ID = /^2088\d{12}$/;

// (terminal, STAN, local time) is unique; an order takes a random STAN, so a rare clash just tries again.
const MAX_INSERT_ATTEMPTS = 4;

export class InAppOrderService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly merchants: MerchantChannels,
    private readonly transitions: PaymentTransitions,
    private readonly timers: PaymentTimers,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
    private readonly random?: RandomBytes,
  ) {}

  async open(command: InAppOrderCommand): Promise<InAppOrderResult> {
    if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) return refused('amount');
    const currency = currencyByNumeric(command.currencyNumeric);
    if (!currency) return refused('currency');
    if (!ALIPAY_USER_ID.test(command.buyerId)) return refused('format');
    const route = await this.merchants.route(command.merchantId, command.terminalId);
    if (!route || route.merchant.status !== 'active') return refused('merchant-unavailable');
    const inApp = route.channel.inApp;
    if (!inApp) return refused('transaction');

    const payment = await this.store(command, route.merchant.channel);
    this.timers.armGatewayTimeout(payment);
    const startedAt = this.clock.now();
    let outcome: CreateOrderOutcome;
    try {
      outcome = await inApp.createOrder({
        paymentRequestId: payment.paymentRequestId,
        buyerId: command.buyerId,
        amount: { amountMinor: payment.amountMinor, currency: currency.alpha },
        subject: command.subject,
        merchant: route.context,
        ...(route.merchant.notifyUrl !== undefined ? { notifyUrl: route.merchant.notifyUrl } : {}),
      });
    } catch (err) {
      outcome = { kind: 'unknown', cause: 'status-unknown', detail: `createOrder threw ${err instanceof Error ? err.name : typeof err}` };
    }
    // A created trade is a payment Alipay is processing: the same event and history as a pay answered "processing".
    const asPay = outcome.kind === 'created' ? { kind: 'processing' as const, raw: outcome.raw } : outcome;
    const applied = await this.transitions.apply(
      payment.id,
      // never a success here, so no approval code is drawn
      eventFromPay(asPay, () => ''),
      [alipayCall({ paymentId: payment.id }, startedAt, 'createOrder', payment.paymentRequestId, asPay)],
    );
    const now = applied.payment;
    if (now.state === 'AWAITING_ALIPAY') this.timers.startInquiries(now, startedAt);
    if (outcome.kind === 'created') return { kind: 'created', payment: now, tradeNo: outcome.tradeNo };
    if (outcome.kind === 'failure') return { kind: 'refused', outcome: paymentOutcome(now), payment: now };
    return { kind: 'in-doubt', payment: now };
  }

  private async store(command: InAppOrderCommand, channel: ChannelName): Promise<Payment> {
    for (let attempt = 1; ; attempt++) {
      const payment = this.newPayment(command, channel);
      try {
        await this.payments.insert(payment, [
          stateChanged({ paymentId: payment.id }, payment.createdAt, undefined, 'RECEIVED', 'in-app order received'),
        ]);
        return payment;
      } catch (err) {
        if (err instanceof DuplicateTransactionError && attempt < MAX_INSERT_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private newPayment(command: InAppOrderCommand, channel: ChannelName): Payment {
    const now = this.clock.now();
    const stan = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const gatewayDeadlineAt = deadlineAfter(now, this.config.gatewayTimeoutMs);
    return {
      id: randomUUID(),
      paymentRequestId: newPaymentRequestId(
        { at: now, terminalId: command.terminalId, amountMinor: command.amountMinor, stan },
        this.random,
      ),
      terminalId: command.terminalId,
      merchantId: command.merchantId,
      stan,
      localDateTime: now.toISOString().replace(/\D/g, '').slice(4, 14),
      rrn: newRrn(now, this.random),
      requestMti: '0200',
      processingCode: '000000',
      amountMinor: command.amountMinor,
      currencyNumeric: command.currencyNumeric,
      // The buyer stands where a payment code would: kept masked and hashed, never in clear.
      paymentCodeMasked: maskPaymentCode(command.buyerId),
      paymentCodeHash: hashPaymentCode(command.buyerId, this.config.paymentCodeHashKey),
      channel,
      // No terminal waits: the only deadline is the gateway's.
      merchantDeadlineAt: gatewayDeadlineAt,
      gatewayDeadlineAt,
      // Driven by this instance's timers, like a terminal's purchase (docs/architecture.md, "Ownership and takeover").
      ...paymentStart(now, this.config.instanceId),
    };
  }
}

function refused(problem: Extract<Outcome, { kind: 'invalid' }>['problem']): InAppOrderResult {
  return { kind: 'refused', outcome: { kind: 'invalid', problem } };
}
