/**
 * Drives a stopped cancel through the queue again: a fresh cancel order in the outbox (the reversal path's
 * own way in, so Kafka or the in-process queue takes it like any other), the in-process job reset to a first
 * attempt, and the open intervention closed; if this round fails too, the worker opens a new one.
 * Only a payment still waiting for its cancel (CANCEL_REQUESTED) can be driven again.
 */
import type { CancelOrder } from '../../payments/application/ports/payment.repository.port';
import { CancelJobEntity, PaymentEntity } from '../../persistence/entities';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { ForwardingRuntime } from '../../reversals/infrastructure/forwarding/forwarding-runtime';
import type { AuditChange, AuditTrail } from '../audit/audit-trail';
import { conflict, notFound } from '../http/problem';
import { utcText } from '../http/sql';
import type { AdminActor } from '../keys/roles';

export interface Requeued {
  paymentRequestId: string;
  requeuedAt: string;
  previousJob?: { state: string; attempts: number; lastError?: string };
}

export class CancelRequeue {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runtime: Pick<ForwardingRuntime, 'relay'>,
    private readonly audit: AuditTrail,
  ) {}

  async requeue(paymentRequestId: string, actor: AdminActor, change: Omit<AuditChange, 'before' | 'after'>): Promise<Requeued> {
    const now = new Date();
    const result = await this.uow.run(async (m) => {
      const payment = await m.findOneBy(PaymentEntity, { paymentRequestId });
      if (!payment) throw notFound(`no payment has paymentRequestId ${paymentRequestId}`);
      if (payment.state !== 'CANCEL_REQUESTED')
        throw conflict(`the payment is ${payment.state}: there is no cancel to drive`);
      const job = await m.findOneBy(CancelJobEntity, { paymentRequestId });
      if (job?.state === 'pending')
        throw conflict(`the cancel is still being retried (attempt ${job.attempts}, next at ${job.nextAttemptAt.toISOString()})`);
      const at = utcText(now);
      if (job)
        await m.query(
          "UPDATE `cancel_jobs` SET `state` = 'pending', `attempts` = 0, `first_seen_at` = ?, `next_attempt_at` = ?, `last_error` = NULL, `updated_at` = ? WHERE `payment_request_id` = ?",
          [at, at, at, paymentRequestId],
        );
      await m.query('INSERT INTO `outbox` (`kind`, `message_key`, `payload`, `created_at`) VALUES (?, ?, ?, ?)', [
        'CANCEL',
        paymentRequestId,
        JSON.stringify(cancelOrder(payment, now)),
        at,
      ]);
      await m.query('UPDATE `manual_interventions` SET `resolved_at` = ?, `open_key` = NULL WHERE `open_key` = ?', [at, paymentRequestId]);
      const requeued: Requeued = {
        paymentRequestId,
        requeuedAt: now.toISOString(),
        ...(job ? { previousJob: { state: job.state, attempts: job.attempts, ...(job.lastError ? { lastError: job.lastError } : {}) } } : {}),
      };
      await this.audit.append(m, actor, { ...change, before: { state: payment.state, job: requeued.previousJob ?? null }, after: { requeued: true } });
      return requeued;
    });
    this.runtime.relay.wake();
    return result;
  }
}

/** The order the payments engine writes when it decides a cancel (its contract: src/payments/application/cancel-order.ts). */
function cancelOrder(payment: PaymentEntity, now: Date): CancelOrder {
  return {
    paymentId: payment.id,
    paymentRequestId: payment.paymentRequestId,
    merchantId: payment.merchantId,
    reason: (payment.cancelReason ?? 'operator') as CancelOrder['reason'],
    requestedAt: now.toISOString(),
  };
}
