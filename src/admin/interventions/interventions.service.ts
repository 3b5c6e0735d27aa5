/**
 * The manual-intervention list and what ops do about an entry: drive its cancel again through the queue
 * (or its refund again, for a refund given up on), or resolve it. A resolution is checked against Alipay first (an inquiry, recorded in the payment's
 * history): "cancelled" is refused while Alipay still holds the money, so the books never say cancelled
 * for a payment the customer paid.
 */
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import type { ManualInterventionReason } from '../../payments/application/ports/manual-interventions.port';
import type { PaymentRepository } from '../../payments/application/ports/payment.repository.port';
import type { Payment } from '../../payments/domain/payment';
import { ManualInterventionEntity } from '../../persistence/entities';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { AuditChange, AuditTrail } from '../audit/audit-trail';
import { decodeCursor, pageOf, type Page } from '../http/paging';
import { AdminProblem, conflict, notFound, upstream } from '../http/problem';
import { utcText } from '../http/sql';
import type { AdminActor } from '../keys/roles';
import type { CancelRequeue } from '../queue/cancel-requeue';
import { outcomeSummary } from '../transactions/transaction-actions';
import { interventionView, paymentView } from '../transactions/transaction-views';
import type { RefundRetry } from './refund-retry';

export type InterventionStatus = 'open' | 'resolved' | 'all';
/** cancelled: Alipay holds nothing (closed, cancelled, unknown to it); dismissed: no payment waits on this entry. */
export type Resolution = 'cancelled' | 'dismissed';
export const RESOLUTIONS: readonly Resolution[] = ['cancelled', 'dismissed'];

/** The kinds of entry a stopped cancel leaves (src/payments' ManualInterventionReason): retry drives the cancel again. */
const CANCEL_REASONS: ReadonlySet<string> = new Set<ManualInterventionReason>(['retries-exhausted', 'alipay-refused', 'unprocessable', 'dead-letter']);

export class Interventions {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly engine: PaymentsEngine,
    private readonly payments: PaymentRepository,
    private readonly requeue: CancelRequeue,
    private readonly audit: AuditTrail,
    private readonly refundRetry: RefundRetry,
  ) {}

  async list(status: InterventionStatus, limit: number, cursor: unknown): Promise<Page<object>> {
    const after = decodeCursor(cursor, 1);
    const found = await this.uow.read((m) => {
      const q = m.createQueryBuilder(ManualInterventionEntity, 'i');
      if (status === 'open') q.andWhere('i.resolved_at IS NULL');
      if (status === 'resolved') q.andWhere('i.resolved_at IS NOT NULL');
      if (after) q.andWhere('i.id > :after', { after: Number(after[0]) });
      return q.orderBy('i.id', 'ASC').take(limit + 1).getMany();
    });
    return pageOf(found, limit, interventionView, (i) => [String(i.id)]);
  }

  async retry(id: string, actor: AdminActor) {
    const entry = await this.openEntry(id);
    if (entry.reason === 'refund-unconfirmed') return this.refundRetry.retry(entry, actor);
    if (!CANCEL_REASONS.has(entry.reason))
      throw conflict(`an intervention of kind ${entry.reason} cannot be retried: there is no cancel or refund to drive (resolve it instead)`);
    return this.requeue.requeue(entry.paymentRequestId, actor, { action: 'intervention.retry', targetType: 'intervention', targetId: id });
  }

  async resolve(id: string, resolution: Resolution, note: string, actor: AdminActor) {
    const entry = await this.openEntry(id);
    const change: Omit<AuditChange, 'after'> = { action: 'intervention.resolve', targetType: 'intervention', targetId: id, before: interventionView(entry) };
    const payment = await this.payments.findByPaymentRequestId(entry.paymentRequestId);
    let settled: Payment | undefined = payment;
    let alipay: ReturnType<typeof outcomeSummary> | undefined;
    try {
      if (payment?.state === 'CANCEL_REQUESTED') {
        if (resolution === 'dismissed')
          throw conflict('the payment still waits for its cancel: retry it, or resolve as cancelled once Alipay shows nothing held');
        const inquired = await this.engine.inquiry.inquirePayment(payment);
        alipay = outcomeSummary(inquired.outcome);
        refuseIfAlipayHolds(inquired.payment, alipay);
        settled = await this.engine.cancellation.recordCancelOutcome(payment.paymentRequestId, {
          kind: 'cancelled',
          detail: `resolved by ${actor.name}: ${note}`.slice(0, 200),
        });
      }
    } catch (err) {
      if (err instanceof AdminProblem) {
        await this.audit.record(actor, { ...change, ...(alipay ? { after: { alipay } } : {}), outcome: `refused: ${err.detail}` });
        err.markAudited();
      }
      throw err;
    }
    const at = new Date();
    const after = { ...interventionView(entry), status: 'resolved', resolvedAt: at.toISOString(), resolution, note, ...(alipay ? { alipay } : {}) };
    await this.uow.run(async (m) => {
      await m.query('UPDATE `manual_interventions` SET `resolved_at` = ?, `open_key` = NULL WHERE `id` = ? AND `resolved_at` IS NULL', [utcText(at), Number(id)]);
      await this.audit.append(m, actor, { ...change, after });
    });
    return { intervention: after, ...(settled ? { payment: paymentView(settled) } : {}) };
  }

  private async openEntry(id: string): Promise<ManualInterventionEntity> {
    if (!/^\d{1,18}$/.test(id)) throw notFound(`no intervention ${id}`);
    const entry = await this.uow.read((m) => m.findOneBy(ManualInterventionEntity, { id }));
    if (!entry) throw notFound(`no intervention ${id}`);
    if (entry.resolvedAt) throw conflict(`intervention ${id} was resolved at ${entry.resolvedAt.toISOString()}`);
    return entry;
  }
}

/** What Alipay said contradicts "cancelled" when it still holds (or may still take) money the switch has not refunded. */
function refuseIfAlipayHolds(payment: Payment, alipay: ReturnType<typeof outcomeSummary>): void {
  switch (alipay.outcome) {
    case 'success':
      if (payment.refundedMinor < payment.amountMinor)
        throw conflict('Alipay reports the payment as paid and not refunded: it cannot be resolved as cancelled (retry the cancel)');
      return;
    case 'processing':
      throw conflict('Alipay reports the payment as still processing: it cannot be resolved as cancelled yet');
    case 'unknown':
    case 'not-asked':
      throw upstream('Alipay gave no definite answer; nothing was resolved, try again later');
    case 'failure':
      return;
  }
}

