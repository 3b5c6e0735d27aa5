import { SandboxIds } from './ids';
import { DeclineReason, Ledger, PaymentRef, SandboxPayment, SandboxRefund } from './ledger';
import { SandboxProtocol } from './protocol';
import { FLAKY_CANCEL_FAILURES, isValidPaymentCode, scenarioOf, type Scenario } from './scenario';

export interface PayInput {
  protocol: SandboxProtocol;
  id: string;
  paymentCode: string;
  amountMinor: number;
  currency: string;
  notifyUrl?: string;
  extra?: Record<string, string>;
}

export type PayOutcome =
  /** `withholdAnswer`: scenario 004 on its first call, the HTTP answer must never arrive. */
  | { kind: 'approved'; payment: SandboxPayment; withholdAnswer: boolean }
  | { kind: 'processing'; payment: SandboxPayment }
  | { kind: 'declined'; payment: SandboxPayment; reason: DeclineReason }
  /** A repeat of a pay whose payment has since been cancelled. */
  | { kind: 'closed'; payment: SandboxPayment }
  /** Same id, different amount, currency or payment code. */
  | { kind: 'inconsistent'; payment: SandboxPayment };

export type InquiryOutcome = { kind: 'not-found' } | { kind: 'found'; payment: SandboxPayment };

export type CancelOutcome =
  | { kind: 'not-found' }
  /** 006: Alipay could not say whether the cancel happened; the caller must send it again. */
  | { kind: 'unknown'; payment: SandboxPayment }
  /** 008: the payment is too old to cancel (AMS CANCEL_WINDOW_EXCEED); it stays paid until refunded. */
  | { kind: 'window-passed'; payment: SandboxPayment }
  /**
   * 009: the generic trade-status error (Open Platform ACQ.TRADE_STATUS_ERROR, MAPI TRADE_STATUS_ERROR,
   * AMS ORDER_IS_CLOSED) although the payment is paid and stays so: a "closed" that must not be believed.
   */
  | { kind: 'status-error'; payment: SandboxPayment }
  | { kind: 'cancelled'; payment: SandboxPayment; action: 'close' | 'refund' };

/** An in-app trade (alipay.trade.create): it waits for the buyer to confirm or decline tradePay in the app. */
export interface CreateTradeInput {
  protocol: SandboxProtocol;
  id: string;
  buyerId: string;
  amountMinor: number;
  currency: string;
  notifyUrl?: string;
  extra?: Record<string, string>;
}

export type CreateTradeOutcome =
  | { kind: 'created'; payment: SandboxPayment }
  /** A repeat of the out_trade_no once the buyer paid (ACQ.TRADE_HAS_SUCCESS) or the trade closed. */
  | { kind: 'paid' | 'closed'; payment: SandboxPayment }
  | { kind: 'inconsistent'; payment: SandboxPayment };

/** What the buyer's tap in the app did to the trade. */
export type TradePayOutcome =
  | { kind: 'not-found' }
  /** The trade is no longer waiting (paid, closed or refunded): the app shows it as it is. */
  | { kind: 'not-waiting'; payment: SandboxPayment }
  | { kind: 'paid' | 'closed'; payment: SandboxPayment };

export interface RefundInput {
  refundRequestId: string;
  amountMinor: number;
  /** When the protocol names a currency, it must be the payment's. */
  currency?: string;
}

export type RefundOutcome =
  | { kind: 'not-found' }
  | { kind: 'not-refundable'; payment: SandboxPayment }
  | { kind: 'exceeds'; payment: SandboxPayment }
  | { kind: 'currency-mismatch'; payment: SandboxPayment }
  /** Same refund request id, different amount. */
  | { kind: 'inconsistent'; payment: SandboxPayment; refund: SandboxRefund }
  /** `repeated`: the refund request id was seen before; no money moved this time. */
  | { kind: 'refunded'; payment: SandboxPayment; refund: SandboxRefund; repeated: boolean };

export interface PaymentsOptions {
  /** 001: inquiries answering "processing" before the one that finds the payment confirmed. */
  autoConfirmInquiries: number;
  now: () => Date;
  /** Called once when a payment first reaches SUCCESS or FAILED (the notifier decides what to send). */
  onFinal: (payment: SandboxPayment) => void;
}

/**
 * Alipay's side of a payment, protocol-neutral: the state machine and the behaviour table. Each protocol
 * handler turns its request into these calls and the outcomes back into its own codes. Synchronous on
 * purpose: one request is handled to the end before the next, so no two calls interleave on a payment.
 */
export class SandboxPayments {
  constructor(
    private readonly ledger: Ledger,
    private readonly ids: SandboxIds,
    private readonly options: PaymentsOptions,
  ) {}

  pay(input: PayInput): PayOutcome {
    const existing = this.ledger.find(input.protocol, { id: input.id });
    if (existing) return this.repeat(existing, input);

    const scenario = scenarioOf(input.paymentCode);
    const payment = this.newPayment(input, scenario, input.paymentCode, { ...(input.extra ?? {}) });
    this.ledger.add(payment);

    if (!isValidPaymentCode(input.paymentCode, input.protocol)) return this.decline(payment, 'invalid-code');
    switch (scenario) {
      case 'approve':
      case 'cancel-flaky':
      case 'cancel-window-passed':
      case 'cancel-status-error':
        this.succeed(payment);
        return { kind: 'approved', payment, withholdAnswer: false };
      case 'no-answer':
        this.succeed(payment);
        return { kind: 'approved', payment, withholdAnswer: true };
      case 'confirm':
      case 'never-completes':
        return { kind: 'processing', payment };
      case 'insufficient-balance':
      case 'invalid-code':
      case 'risk-rejected':
        return this.decline(payment, scenario);
    }
  }

  /** A payment Alipay has just taken on, processing; `payer` is the payment code (or the buyer id). */
  private newPayment(
    input: PayInput | CreateTradeInput,
    scenario: Scenario,
    payer: string,
    extra: Record<string, string>,
  ): SandboxPayment {
    const now = this.options.now();
    return {
      protocol: input.protocol,
      id: input.id,
      scenario,
      paymentCode: payer,
      amountMinor: input.amountMinor,
      currency: input.currency,
      alipayTransactionId: this.ids.transactionId(input.protocol, now),
      createdAt: now,
      ...(input.notifyUrl ? { notifyUrl: input.notifyUrl } : {}),
      status: 'PROCESSING',
      refundedMinor: 0,
      inquiriesAnswered: 0,
      cancelCalls: 0,
      refunds: new Map(),
      notifications: [],
      extra,
    };
  }

  /** The buyer is known (from oauth.token) but has not paid: the trade stays PROCESSING until the app answers. */
  createTrade(input: CreateTradeInput): CreateTradeOutcome {
    const existing = this.ledger.find(input.protocol, { id: input.id });
    if (existing) {
      if (
        existing.amountMinor !== input.amountMinor ||
        existing.currency !== input.currency ||
        existing.paymentCode !== input.buyerId
      ) {
        return { kind: 'inconsistent', payment: existing };
      }
      if (existing.status === 'PROCESSING') return { kind: 'created', payment: existing };
      return { kind: existing.status === 'SUCCESS' ? 'paid' : 'closed', payment: existing };
    }
    // Nothing happens to it on its own: only the buyer (tradePay) or a cancel moves it.
    const payment = this.newPayment(input, 'never-completes', input.buyerId, {
      ...(input.extra ?? {}),
      buyer_id: input.buyerId,
    });
    this.ledger.add(payment);
    return { kind: 'created', payment };
  }

  /** The buyer confirms (paid, then notified like any success) or declines (closed, nothing taken) in the app. */
  tradePay(protocol: SandboxProtocol, ref: PaymentRef, action: 'confirm' | 'decline'): TradePayOutcome {
    const payment = this.ledger.find(protocol, ref);
    if (!payment) return { kind: 'not-found' };
    if (payment.status !== 'PROCESSING') return { kind: 'not-waiting', payment };
    if (action === 'confirm') {
      this.succeed(payment);
      return { kind: 'paid', payment };
    }
    this.close(payment, 'close');
    return { kind: 'closed', payment };
  }

  /** Finds the payment; a 001 payment is confirmed by the user after `autoConfirmInquiries` inquiries. */
  inquire(protocol: SandboxProtocol, ref: PaymentRef): InquiryOutcome {
    const payment = this.ledger.find(protocol, ref);
    if (!payment) return { kind: 'not-found' };
    if (payment.status === 'PROCESSING' && payment.scenario === 'confirm') {
      if (payment.inquiriesAnswered >= this.options.autoConfirmInquiries) this.succeed(payment);
      else payment.inquiriesAnswered += 1;
    }
    return { kind: 'found', payment };
  }

  cancel(protocol: SandboxProtocol, ref: PaymentRef): CancelOutcome {
    const payment = this.ledger.find(protocol, ref);
    if (!payment) return { kind: 'not-found' };
    payment.cancelCalls += 1;
    if (payment.scenario === 'cancel-flaky' && payment.cancelCalls <= FLAKY_CANCEL_FAILURES) {
      return { kind: 'unknown', payment };
    }
    const firstCancel = payment.cancelCalls === 1;
    if (payment.scenario === 'cancel-status-error' && firstCancel && payment.status === 'SUCCESS') {
      return { kind: 'status-error', payment };
    }
    if (payment.scenario === 'cancel-window-passed' && payment.status === 'SUCCESS') {
      return { kind: 'window-passed', payment };
    }
    switch (payment.status) {
      case 'PROCESSING':
        return this.close(payment, 'close');
      case 'SUCCESS':
        return this.close(payment, 'refund');
      case 'CANCELLED':
        return { kind: 'cancelled', payment, action: payment.cancelAction ?? 'close' };
      // Nothing left to undo: the answer is a success, the payment keeps its final state.
      case 'FAILED':
        return { kind: 'cancelled', payment, action: 'close' };
      case 'REFUNDED':
        return { kind: 'cancelled', payment, action: 'refund' };
    }
  }

  refund(protocol: SandboxProtocol, ref: PaymentRef, input: RefundInput): RefundOutcome {
    const payment = this.ledger.find(protocol, ref);
    if (!payment) return { kind: 'not-found' };
    const seen = payment.refunds.get(input.refundRequestId);
    if (seen) {
      if (seen.amountMinor !== input.amountMinor) return { kind: 'inconsistent', payment, refund: seen };
      return { kind: 'refunded', payment, refund: seen, repeated: true };
    }
    if (payment.status !== 'SUCCESS') return { kind: 'not-refundable', payment };
    if (input.currency !== undefined && input.currency !== payment.currency) {
      return { kind: 'currency-mismatch', payment };
    }
    if (input.amountMinor <= 0 || payment.refundedMinor + input.amountMinor > payment.amountMinor) {
      return { kind: 'exceeds', payment };
    }
    const now = this.options.now();
    const refund: SandboxRefund = {
      refundRequestId: input.refundRequestId,
      amountMinor: input.amountMinor,
      refundId: this.ids.refundId(now),
      at: now,
    };
    payment.refunds.set(refund.refundRequestId, refund);
    payment.refundedMinor += input.amountMinor;
    if (payment.refundedMinor === payment.amountMinor) payment.status = 'REFUNDED';
    return { kind: 'refunded', payment, refund, repeated: false };
  }

  private repeat(payment: SandboxPayment, input: PayInput): PayOutcome {
    if (
      payment.amountMinor !== input.amountMinor ||
      payment.currency !== input.currency ||
      payment.paymentCode !== input.paymentCode
    ) {
      return { kind: 'inconsistent', payment };
    }
    switch (payment.status) {
      case 'SUCCESS':
      case 'REFUNDED':
        return { kind: 'approved', payment, withholdAnswer: false };
      case 'PROCESSING':
        return { kind: 'processing', payment };
      case 'FAILED':
        return { kind: 'declined', payment, reason: payment.declineReason ?? 'invalid-code' };
      case 'CANCELLED':
        return { kind: 'closed', payment };
    }
  }

  private succeed(payment: SandboxPayment): void {
    payment.status = 'SUCCESS';
    payment.paidAt = this.options.now();
    this.options.onFinal(payment);
  }

  private decline(payment: SandboxPayment, reason: DeclineReason): PayOutcome {
    payment.status = 'FAILED';
    payment.declineReason = reason;
    this.options.onFinal(payment);
    return { kind: 'declined', payment, reason };
  }

  private close(payment: SandboxPayment, action: 'close' | 'refund'): CancelOutcome {
    payment.status = 'CANCELLED';
    payment.cancelAction = action;
    payment.cancelledAt = this.options.now();
    return { kind: 'cancelled', payment, action };
  }
}
