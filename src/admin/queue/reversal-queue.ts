/**
 * The reversal queue as ops see it: the outbox backlog and its oldest row's age, the in-process cancel
 * jobs by state, and the dead letters: cancels that stopped without Alipay's confirmation (their payment
 * stays CANCEL_REQUESTED, flagged for manual intervention), whichever queue carried them.
 */
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { decodeCursor, pageOf, type Page } from '../http/paging';
import { count, isoTime, optionalText, rows, text, type Row } from '../http/sql';
import { dropUndefined } from '../transactions/transaction-views';

const DEAD = "`p`.`state` = 'CANCEL_REQUESTED' AND `p`.`manual_intervention` = 1";

export class ReversalQueue {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly mode: string,
  ) {}

  async summary() {
    return this.uow.read(async (m) => {
      const [outbox] = await rows(m, 'SELECT COUNT(*) AS `n`, MIN(`created_at`) AS `oldest` FROM `outbox` WHERE `relayed_at` IS NULL');
      const jobs = await rows(m, 'SELECT `state`, COUNT(*) AS `n` FROM `cancel_jobs` GROUP BY `state`');
      const [dead] = await rows(m, `SELECT COUNT(*) AS \`n\` FROM \`payments\` \`p\` WHERE ${DEAD}`);
      const [open] = await rows(m, 'SELECT COUNT(*) AS `n` FROM `manual_interventions` WHERE `resolved_at` IS NULL');
      const oldest = isoTime(outbox?.oldest);
      const byState: Record<string, number> = { pending: 0, done: 0, dead: 0 };
      for (const job of jobs) byState[text(job.state)] = count(job.n);
      return {
        mode: this.mode,
        outbox: dropUndefined({
          backlog: count(outbox?.n),
          oldestCreatedAt: oldest,
          oldestAgeMs: oldest ? Math.max(0, Date.now() - Date.parse(oldest)) : undefined,
        }),
        cancelJobs: byState,
        deadLetters: count(dead?.n),
        openInterventions: count(open?.n),
      };
    });
  }

  /** Oldest first (by paymentRequestId, for a stable cursor). */
  async deadLetters(limit: number, cursor: unknown): Promise<Page<object>> {
    const after = decodeCursor(cursor, 1);
    const found = await this.uow.read((m) =>
      rows(
        m,
        `SELECT \`p\`.\`payment_request_id\`, \`p\`.\`id\`, \`p\`.\`terminal_id\`, \`p\`.\`merchant_id\`, \`p\`.\`amount_minor\`, \`p\`.\`currency_numeric\`, \`p\`.\`cancel_reason\`, \`p\`.\`updated_at\`, \`j\`.\`state\` AS \`job_state\`, \`j\`.\`attempts\` AS \`job_attempts\`, \`j\`.\`last_error\` AS \`job_error\`, \`i\`.\`id\` AS \`intervention_id\`, \`i\`.\`detail\` AS \`intervention_detail\`
         FROM \`payments\` \`p\`
         LEFT JOIN \`cancel_jobs\` \`j\` ON \`j\`.\`payment_request_id\` = \`p\`.\`payment_request_id\`
         LEFT JOIN \`manual_interventions\` \`i\` ON \`i\`.\`open_key\` = \`p\`.\`payment_request_id\`
         WHERE ${DEAD}${after ? ' AND `p`.`payment_request_id` > ?' : ''}
         ORDER BY \`p\`.\`payment_request_id\` LIMIT ${limit + 1}`,
        after ? [after[0]] : [],
      ),
    );
    return pageOf(found, limit, deadLetterView, (r) => [text(r.payment_request_id)]);
  }
}

function deadLetterView(r: Row) {
  return dropUndefined({
    id: text(r.payment_request_id),
    paymentId: text(r.id),
    terminalId: text(r.terminal_id),
    merchantId: text(r.merchant_id),
    amountMinor: count(r.amount_minor),
    currencyNumeric: text(r.currency_numeric),
    cancelReason: optionalText(r.cancel_reason),
    since: isoTime(r.updated_at),
    job: r.job_state === null || r.job_state === undefined ? undefined : dropUndefined({ state: text(r.job_state), attempts: count(r.job_attempts), lastError: optionalText(r.job_error) }),
    interventionId: optionalText(r.intervention_id),
    detail: optionalText(r.intervention_detail),
  });
}
