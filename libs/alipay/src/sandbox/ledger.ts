import { IncomingHttpHeaders } from 'node:http';
import { SANDBOX_PROTOCOLS, SandboxProtocol } from './protocol';
import { maskPaymentCode, Scenario } from './scenario';

export type SandboxPaymentStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'REFUNDED';

/** Why a payment was declined, before each protocol names it in its own codes (see codes.ts). */
export type DeclineReason = 'insufficient-balance' | 'invalid-code' | 'risk-rejected';

/** One API call as the sandbox received it. */
export interface SandboxCall {
  /** AMS api (pay, inquiryPayment, cancel, refund), Open Platform method or MAPI service. */
  api: string;
  at: Date;
  /** As received (lower-cased names), so tests can see e.g. `agent-token`. */
  headers: IncomingHttpHeaders;
  /** The request's own idempotency key: payment id for pay/inquiry/cancel, refund request id for refunds. */
  requestId: string;
  /** What the sandbox answered: AMS resultCode, Open Platform sub_code or code, MAPI result_code or error. */
  resultCode: string;
}

export interface SandboxRefund {
  refundRequestId: string;
  amountMinor: number;
  /** Alipay's refund number. */
  refundId: string;
  at: Date;
}

export interface SandboxNotificationAttempt {
  attempt: number;
  at: Date;
  outcome: 'acknowledged' | 'rejected' | 'failed';
  httpStatus?: number;
  /** The receiver's answer (first 256 characters). */
  reply?: string;
  /** Set for notifications sent on demand through the control API (valid, bad-signature, ...). */
  kind?: string;
}

export interface SandboxPayment {
  readonly protocol: SandboxProtocol;
  /** AMS paymentRequestId, Open Platform out_trade_no, MAPI partner_trans_id. */
  readonly id: string;
  readonly scenario: Scenario;
  /** Kept to match repeats and to answer ?paymentCode= lookups; shown only masked. */
  readonly paymentCode: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** AMS paymentId, Open Platform trade_no, MAPI alipay_trans_id. */
  readonly alipayTransactionId: string;
  readonly createdAt: Date;
  readonly notifyUrl?: string;
  status: SandboxPaymentStatus;
  refundedMinor: number;
  declineReason?: DeclineReason;
  paidAt?: Date;
  cancelledAt?: Date;
  /** close: nothing had been paid; refund: a paid payment was reversed by the cancel. */
  cancelAction?: 'close' | 'refund';
  /** 001: inquiries answered "processing" so far. */
  inquiriesAnswered: number;
  /** 006: cancel calls seen so far. */
  cancelCalls: number;
  readonly refunds: Map<string, SandboxRefund>;
  readonly notifications: SandboxNotificationAttempt[];
  /** Protocol details echoed in later answers (e.g. MAPI settlement currency). */
  readonly extra: Readonly<Record<string, string>>;
}

/** How to find a payment: the merchant's id, or Alipay's transaction id (which wins when both are given). */
export interface PaymentRef {
  id?: string;
  alipayTransactionId?: string;
}

export interface LedgerFilter {
  paymentCode?: string;
  protocol?: SandboxProtocol;
  status?: SandboxPaymentStatus;
}

/**
 * Every payment the sandbox has seen, per protocol (the three id spaces are separate, as they are at
 * Alipay), plus the calls made on each id. Calls are kept even for ids that never became a payment (an
 * inquiry of an unknown id, a pay refused for its signature) so tests can see what reached "Alipay".
 */
export class Ledger {
  private readonly payments = new Map<string, SandboxPayment>();
  private readonly byTransactionId = new Map<string, SandboxPayment>();
  private readonly calls = new Map<string, SandboxCall[]>();

  add(payment: SandboxPayment): void {
    this.payments.set(key(payment.protocol, payment.id), payment);
    this.byTransactionId.set(key(payment.protocol, payment.alipayTransactionId), payment);
  }

  find(protocol: SandboxProtocol, ref: PaymentRef): SandboxPayment | undefined {
    if (ref.alipayTransactionId) return this.byTransactionId.get(key(protocol, ref.alipayTransactionId));
    return ref.id ? this.payments.get(key(protocol, ref.id)) : undefined;
  }

  /** Any protocol, by merchant id first, then by Alipay transaction id. */
  lookup(id: string, protocol?: SandboxProtocol): SandboxPayment | undefined {
    const protocols = protocol ? [protocol] : SANDBOX_PROTOCOLS;
    for (const p of protocols) {
      const payment = this.payments.get(key(p, id));
      if (payment) return payment;
    }
    for (const p of protocols) {
      const payment = this.byTransactionId.get(key(p, id));
      if (payment) return payment;
    }
    return undefined;
  }

  list(filter: LedgerFilter): SandboxPayment[] {
    const out: SandboxPayment[] = [];
    for (const payment of this.payments.values()) {
      if (filter.paymentCode !== undefined && payment.paymentCode !== filter.paymentCode) continue;
      if (filter.protocol !== undefined && payment.protocol !== filter.protocol) continue;
      if (filter.status !== undefined && payment.status !== filter.status) continue;
      out.push(payment);
    }
    return out;
  }

  recordCall(protocol: SandboxProtocol, id: string, call: SandboxCall): void {
    const k = key(protocol, id);
    const list = this.calls.get(k);
    if (list) list.push(call);
    else this.calls.set(k, [call]);
  }

  callsOf(protocol: SandboxProtocol, id: string): readonly SandboxCall[] {
    return this.calls.get(key(protocol, id)) ?? [];
  }

  /** Calls on an id that is not (or not yet) a payment, across protocols. */
  orphanCalls(id: string): { protocol: SandboxProtocol; calls: readonly SandboxCall[] }[] {
    return SANDBOX_PROTOCOLS.filter((p) => this.calls.has(key(p, id))).map((p) => ({
      protocol: p,
      calls: this.callsOf(p, id),
    }));
  }

  get size(): number {
    return this.payments.size;
  }

  clear(): void {
    this.payments.clear();
    this.byTransactionId.clear();
    this.calls.clear();
  }
}

function key(protocol: SandboxProtocol, id: string): string {
  return `${protocol}\u0000${id}`;
}

/** The JSON shape of GET /sandbox/payments/{id}. */
export interface SandboxPaymentView {
  id: string;
  protocol: SandboxProtocol;
  status: SandboxPaymentStatus;
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  alipayTransactionId: string;
  paymentCodeMasked: string;
  scenario: Scenario;
  failureCode?: string;
  cancelAction?: 'close' | 'refund';
  createdAt: string;
  paidAt?: string;
  cancelledAt?: string;
  refunds: { refundRequestId: string; amountMinor: number; refundId: string; at: string }[];
  notifications: {
    attempt: number;
    at: string;
    outcome: string;
    httpStatus?: number;
    reply?: string;
    kind?: string;
  }[];
  calls: { api: string; at: string; headers: IncomingHttpHeaders; requestId: string; resultCode: string }[];
}

export function callView(call: SandboxCall): SandboxPaymentView['calls'][number] {
  return {
    api: call.api,
    at: call.at.toISOString(),
    headers: call.headers,
    requestId: call.requestId,
    resultCode: call.resultCode,
  };
}

export function paymentView(
  payment: SandboxPayment,
  calls: readonly SandboxCall[],
  failureCode: string | undefined,
): SandboxPaymentView {
  const view: SandboxPaymentView = {
    id: payment.id,
    protocol: payment.protocol,
    status: payment.status,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    refundedMinor: payment.refundedMinor,
    alipayTransactionId: payment.alipayTransactionId,
    paymentCodeMasked: maskPaymentCode(payment.paymentCode),
    scenario: payment.scenario,
    createdAt: payment.createdAt.toISOString(),
    refunds: [...payment.refunds.values()].map((r) => ({
      refundRequestId: r.refundRequestId,
      amountMinor: r.amountMinor,
      refundId: r.refundId,
      at: r.at.toISOString(),
    })),
    notifications: payment.notifications.map((n) => ({
      attempt: n.attempt,
      at: n.at.toISOString(),
      outcome: n.outcome,
      ...(n.httpStatus !== undefined ? { httpStatus: n.httpStatus } : {}),
      ...(n.reply !== undefined ? { reply: n.reply } : {}),
      ...(n.kind !== undefined ? { kind: n.kind } : {}),
    })),
    calls: calls.map(callView),
  };
  if (failureCode !== undefined) view.failureCode = failureCode;
  if (payment.cancelAction) view.cancelAction = payment.cancelAction;
  if (payment.paidAt) view.paidAt = payment.paidAt.toISOString();
  if (payment.cancelledAt) view.cancelledAt = payment.cancelledAt.toISOString();
  return view;
}
