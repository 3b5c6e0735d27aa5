/**
 * Drives a refund given up on (a `refund-unconfirmed` entry) once more, through the engine's own refund
 * attempt with the refund's own refundRequestId: Alipay refunds by that id at most once, so a retry of a
 * refund it already made only learns the answer. A definite answer closes the entry (confirmed: the money
 * went back; declined: the reservation is released); an answer still unknown leaves it open, noting the
 * latest attempt.
 */
import type { PaymentsEngine } from '../../payments/application/payments-engine';
import type { RefundRepository } from '../../payments/application/ports/refund.repository.port';
import { isRefundFinal, type Refund } from '../../payments/domain/refund';
import type { ManualInterventionEntity } from '../../persistence/entities';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { AuditTrail } from '../audit/audit-trail';
import { conflict } from '../http/problem';
import { utcText } from '../http/sql';
import type { AdminActor } from '../keys/roles';
import { interventionView, refundView } from '../transactions/transaction-views';

const DETAIL_MAX = 255;
const RETRY_NOTE = ' | retried ';

export type RefundRetryOutcome = 'refunded' | 'declined' | 'still-unknown';

export class RefundRetry {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly engine: Pick<PaymentsEngine, 'refundAttempts'>,
    private readonly refunds: RefundRepository,
    private readonly audit: AuditTrail,
  ) {}

  async retry(entry: ManualInterventionEntity, actor: AdminActor) {
    const found = await this.refunds.findByRefundRequestId(entry.paymentRequestId);
    if (!found) throw conflict(`no refund has refundRequestId ${entry.paymentRequestId}: there is no refund to drive (resolve the entry instead)`);
    const after = (await this.engine.refundAttempts.retryByHand(found.id)) ?? found;
    const outcome = outcomeOf(after);
    const at = new Date();
    const intervention =
      outcome === 'still-unknown'
        ? { ...interventionView(entry), detail: latestAttempt(entry.detail, at, actor, after) }
        : { ...interventionView(entry), status: 'resolved', resolvedAt: at.toISOString() };
    await this.uow.run(async (m) => {
      if (outcome === 'still-unknown')
        await m.query('UPDATE `manual_interventions` SET `detail` = ? WHERE `id` = ?', [intervention.detail, Number(entry.id)]);
      else
        await m.query('UPDATE `manual_interventions` SET `resolved_at` = ?, `open_key` = NULL WHERE `id` = ? AND `resolved_at` IS NULL', [utcText(at), Number(entry.id)]);
      await this.audit.append(m, actor, {
        action: 'intervention.retry',
        targetType: 'intervention',
        targetId: String(entry.id),
        before: { intervention: interventionView(entry), refund: refundView(found) },
        after: { intervention, refund: refundView(after) },
        outcome,
      });
    });
    return { outcome, intervention, refund: refundView(after) };
  }
}

function outcomeOf(refund: Refund): RefundRetryOutcome {
  if (!isRefundFinal(refund)) return 'still-unknown';
  return refund.state === 'SUCCEEDED' ? 'refunded' : 'declined';
}

/** The entry's first words stay; only the note of the latest retry is replaced. */
function latestAttempt(detail: string, at: Date, actor: AdminActor, refund: Refund): string {
  const note = `${RETRY_NOTE}${at.toISOString()} by ${actor.name}: still unknown after attempt ${refund.attempts}`;
  const base = detail.split(RETRY_NOTE)[0];
  return `${base.slice(0, DETAIL_MAX - note.length)}${note}`;
}
