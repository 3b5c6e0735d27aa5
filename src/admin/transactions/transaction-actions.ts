/**
 * Operator actions on one payment, each through the payments engine's own services so the rules are the
 * terminal's: an inquiry is applied like any other, a cancel takes the reversal's path (CANCEL_REQUESTED,
 * an order in the outbox, the reversal workers), a refund is checked and reserved like a terminal refund.
 */
import { randomInt } from 'node:crypto';
import type { ChannelOutcome } from '@switch/alipay';
import type { EngineAnswer, RefundCommand } from '../../payments/application/commands';
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import type { PaymentRepository } from '../../payments/application/ports/payment.repository.port';
import type { RefundRepository } from '../../payments/application/ports/refund.repository.port';
import type { Payment } from '../../payments/domain/payment';
import type { AuditTrail } from '../audit/audit-trail';
import { AdminProblem, conflict, notFound, problemDetails, unprocessable } from '../http/problem';
import type { AdminActor } from '../keys/roles';
import type { RefundIdempotency, StoredAnswer } from './refund-idempotency';
import { paymentView, refundView, type PaymentView } from './transaction-views';

/** Field 3 of a refund and the MTI its refunds are stored under, as a terminal's refund would be. */
const REFUND_PROCESSING_CODE = '200000';
const REFUND_MTI = '0200';
/** A generated STAN that collides with one of the terminal's own is drawn again. */
const STAN_DRAWS = 3;

export interface TransactionActionsOptions {
  /** How long a refund request waits for Alipay before answering 202 (the engine carries on). */
  refundWaitMs: number;
}

export class TransactionActions {
  constructor(
    private readonly engine: PaymentsEngine,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly idempotency: RefundIdempotency,
    private readonly audit: AuditTrail,
    private readonly options: TransactionActionsOptions,
  ) {}

  async inquire(paymentRequestId: string, actor: AdminActor) {
    const before = await this.find(paymentRequestId);
    const result = await this.engine.inquiry.inquirePayment(before);
    const alipay = outcomeSummary(result.outcome);
    const after = paymentView(result.payment);
    await this.audit.record(actor, {
      action: 'transaction.inquire',
      targetType: 'payment',
      targetId: paymentRequestId,
      before: { state: before.state },
      after: { state: after.state, alipay },
    });
    return { alipay, payment: after };
  }

  async cancel(paymentRequestId: string, actor: AdminActor): Promise<{ result: string; payment: PaymentView }> {
    const before = await this.find(paymentRequestId);
    const requested = await this.engine.cancellation.requestCancel(before.id, 'operator');
    const change = { action: 'transaction.cancel', targetType: 'payment', targetId: paymentRequestId, before: { state: before.state } };
    switch (requested.kind) {
      case 'requested':
      case 'already': {
        const payment = paymentView(requested.payment);
        await this.audit.record(actor, { ...change, after: { state: payment.state, cancelReason: payment.cancelReason }, outcome: requested.kind });
        return { result: requested.kind, payment };
      }
      case 'not-needed':
        await this.audit.record(actor, { ...change, outcome: 'refused: declined, nothing to cancel' });
        throw conflict('the payment was declined: Alipay took nothing, there is nothing to cancel').markAudited();
      case 'not-found':
      case 'not-a-payment':
        throw notFound(`no payment has paymentRequestId ${paymentRequestId}`);
    }
  }

  /** The refund's answer as status and body, the first one again for a repeated Idempotency-Key. */
  async refund(paymentRequestId: string, amountMinor: number, idempotencyKey: string | undefined, actor: AdminActor): Promise<StoredAnswer & { replayed: boolean }> {
    const claim = await this.idempotency.claim(idempotencyKey, paymentRequestId, amountMinor, actor.name);
    if (claim.kind === 'replay') return { ...claim.answer, replayed: true };
    const key = idempotencyKey!;
    let answer: StoredAnswer;
    try {
      answer = await this.refundOnce(paymentRequestId, amountMinor, actor, key);
    } catch (err) {
      const problem = err instanceof AdminProblem ? err : new AdminProblem(500, 'the refund failed; see the transaction before trying another key');
      answer = { status: problem.status, body: problemDetails(problem.status, problem.detail) };
      await this.idempotency.settle(key, answer);
      throw err;
    }
    await this.idempotency.settle(key, answer);
    return { ...answer, replayed: false };
  }

  private async refundOnce(paymentRequestId: string, amountMinor: number, actor: AdminActor, idempotencyKey: string): Promise<StoredAnswer> {
    const original = await this.find(paymentRequestId);
    const change = { action: 'transaction.refund', targetType: 'payment', targetId: paymentRequestId, before: { refundedMinor: original.refundedMinor, reservedRefundMinor: original.reservedRefundMinor } };
    for (let draw = 1; draw <= STAN_DRAWS; draw++) {
      const command = this.refundCommand(original, amountMinor);
      const answer = await this.engine.refund.refund(command);
      if (answer.outcome.kind === 'duplicate') continue;
      if (answer.approvalOf) await this.engine.recordDelivery(answer.approvalOf, true);
      const refund = (await this.refunds.findByTerminalStan(command.terminalId, command.stan)).find(
        (r) => r.localDateTime === command.localDateTime,
      );
      const refusal = refusalOf(answer, original);
      if (!refund || refusal) {
        await this.audit.record(actor, { ...change, outcome: `refused: ${refusal?.detail ?? answer.outcome.kind}` });
        throw (refusal ?? new AdminProblem(500, `the refund ended as ${answer.outcome.kind} without a record`)).markAudited();
      }
      const view = refundView(refund);
      await this.audit.record(actor, { ...change, after: { refund: view, idempotencyKey } });
      const status = answer.outcome.kind === 'in-doubt' ? 202 : 201;
      return { status, body: { outcome: answer.outcome.kind, refund: view } };
    }
    throw new AdminProblem(500, 'no free STAN could be drawn for the refund');
  }

  private refundCommand(original: Payment, amountMinor: number): RefundCommand {
    const now = new Date();
    return {
      terminalId: original.terminalId,
      merchantId: original.merchantId,
      stan: String(randomInt(1, 1_000_000)).padStart(6, '0'),
      localDateTime: localDateTime(now),
      requestMti: REFUND_MTI,
      processingCode: REFUND_PROCESSING_CODE,
      receivedAt: now,
      replyDeadlineAt: new Date(now.getTime() + this.options.refundWaitMs),
      amountMinor,
      currencyNumeric: original.currencyNumeric,
      original: { kind: 'rrn', rrn: original.rrn },
    };
  }

  private async find(paymentRequestId: string): Promise<Payment> {
    const payment = await this.payments.findByPaymentRequestId(paymentRequestId);
    if (!payment) throw notFound(`no payment has paymentRequestId ${paymentRequestId}`);
    return payment;
  }
}

/** A refund the engine refused before storing it: the terminal's rules, in HTTP words. */
export function refusalOf(answer: EngineAnswer, original: Payment): AdminProblem | undefined {
  const outcome = answer.outcome;
  switch (outcome.kind) {
    case 'invalid':
      return outcome.problem === 'amount'
        ? unprocessable('amountMinor is not a refundable amount of this payment')
        : unprocessable(`the payment cannot be refunded (${outcome.problem}; state ${original.state}, delivery ${original.delivery})`);
    case 'declined':
      return outcome.receipt ? undefined : unprocessable(`refund refused: ${outcome.reason}`);
    case 'original-not-found':
      return notFound('the payment was not found by its RRN');
    case 'unavailable':
      return new AdminProblem(502, 'Alipay could not be reached; nothing was refunded');
    case 'system-error':
      return new AdminProblem(500, 'the refund failed inside the switch');
    case 'approved':
    case 'cancelled':
    case 'in-doubt':
    case 'duplicate':
      return undefined;
  }
}

export function outcomeSummary(outcome: ChannelOutcome | undefined) {
  if (!outcome) return { outcome: 'not-asked', detail: 'the merchant is unknown to the switch' };
  switch (outcome.kind) {
    case 'success':
      return { outcome: 'success', ...(outcome.alipayTransactionId ? { alipayTransactionId: outcome.alipayTransactionId } : {}) };
    case 'failure':
      return { outcome: 'failure', reason: outcome.reason, code: outcome.code };
    case 'processing':
      return { outcome: 'processing' };
    case 'unknown':
      return { outcome: 'unknown', cause: outcome.cause };
  }
}

/** 'MMDDhhmmss' in UTC: the form fields 13 + 12 take. */
export function localDateTime(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(4, 14);
}
