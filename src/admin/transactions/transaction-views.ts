/**
 * What the admin API shows of payments, refunds and their history: everything ops need, with the payment
 * code masked (the only form the switch stores) and its HMAC left out.
 */
import type { Payment } from '../../payments/domain/payment';
import type { Refund } from '../../payments/domain/refund';
import type {
  CancelJobEntity,
  ManualInterventionEntity,
  PaymentEntity,
  PaymentEventEntity,
  RefundEntity,
} from '../../persistence/entities';

export interface PaymentView {
  id: string;
  paymentRequestId: string;
  terminalId: string;
  merchantId: string;
  stan: string;
  localDateTime: string;
  rrn: string;
  channel: string;
  state: string;
  delivery: string;
  amountMinor: number;
  currencyNumeric: string;
  paymentCodeMasked: string;
  alipayTransactionId?: string;
  approvalCode?: string;
  failureReason?: string;
  failureCode?: string;
  cancelReason?: string;
  manualIntervention: boolean;
  refundedMinor: number;
  reservedRefundMinor: number;
  createdAt: string;
  updatedAt: string;
  gatewayDeadlineAt: string;
}

export interface RefundView {
  id: string;
  refundRequestId: string;
  terminalId: string;
  stan: string;
  rrn: string;
  state: string;
  amountMinor: number;
  currencyNumeric: string;
  alipayRefundId?: string;
  approvalCode?: string;
  failureReason?: string;
  failureCode?: string;
  manualIntervention: boolean;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

type PaymentLike = PaymentEntity | Payment;
type RefundLike = RefundEntity | Refund;

const opt = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

export function paymentView(p: PaymentLike): PaymentView {
  return dropUndefined({
    id: p.id,
    paymentRequestId: p.paymentRequestId,
    terminalId: p.terminalId,
    merchantId: p.merchantId,
    stan: p.stan,
    localDateTime: p.localDateTime,
    rrn: p.rrn,
    channel: p.channel,
    state: p.state,
    delivery: p.delivery,
    amountMinor: p.amountMinor,
    currencyNumeric: p.currencyNumeric,
    paymentCodeMasked: p.paymentCodeMasked,
    alipayTransactionId: opt(p.alipayTransactionId),
    approvalCode: opt(p.approvalCode),
    failureReason: opt(p.failureReason),
    failureCode: opt(p.failureCode),
    cancelReason: opt(p.cancelReason),
    manualIntervention: Boolean(p.manualIntervention),
    refundedMinor: p.refundedMinor,
    reservedRefundMinor: p.reservedRefundMinor,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    gatewayDeadlineAt: p.gatewayDeadlineAt.toISOString(),
  });
}

export function refundView(r: RefundLike): RefundView {
  return dropUndefined({
    id: r.id,
    refundRequestId: r.refundRequestId,
    terminalId: r.terminalId,
    stan: r.stan,
    rrn: r.rrn,
    state: r.state,
    amountMinor: r.amountMinor,
    currencyNumeric: r.currencyNumeric,
    alipayRefundId: opt(r.alipayRefundId),
    approvalCode: opt(r.approvalCode),
    failureReason: opt(r.failureReason),
    failureCode: opt(r.failureCode),
    manualIntervention: Boolean(r.manualIntervention),
    attempts: r.attempts,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  });
}

export function historyView(e: PaymentEventEntity) {
  return dropUndefined({
    at: e.at.toISOString(),
    type: e.type,
    refundId: opt(e.refundId),
    fromState: opt(e.fromState),
    toState: opt(e.toState),
    api: opt(e.api),
    requestId: opt(e.requestId),
    latencyMs: opt(e.latencyMs),
    outcome: opt(e.outcome),
    code: opt(e.code),
    detail: opt(e.detail),
  });
}

export function cancelJobView(job: CancelJobEntity) {
  return dropUndefined({
    state: job.state,
    attempts: job.attempts,
    firstSeenAt: job.firstSeenAt.toISOString(),
    nextAttemptAt: job.nextAttemptAt.toISOString(),
    lastError: opt(job.lastError),
  });
}

export function interventionView(i: ManualInterventionEntity) {
  return dropUndefined({
    id: String(i.id),
    paymentId: opt(i.paymentId),
    paymentRequestId: i.paymentRequestId,
    reason: i.reason,
    detail: i.detail,
    createdAt: i.createdAt.toISOString(),
    resolvedAt: i.resolvedAt ? i.resolvedAt.toISOString() : undefined,
    status: i.resolvedAt ? 'resolved' : 'open',
  });
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
