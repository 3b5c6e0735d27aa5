/**
 * One reconciliation run of a channel-day: the switch's records for the day, Alipay's files (streamed),
 * the matcher, then every difference stored once per channel-day: orphan debits fixed at once, the rest
 * on the manual-intervention list with both sides' figures. A repeated run finds the same differences,
 * stores nothing new and calls Alipay for nothing already fixed.
 */
import { isTotalsMismatch, isUnreadable, statementDayWindow, type ChannelName } from '@switch/alipay';
import type { Clock } from '../../payments/application/ports/clock.port';
import type { ManualInterventions } from '../../reversals/application/ports/manual-interventions.port';
import { DayMatcher } from '../domain/day-matcher';
import { fileKindsOf, type FileKind } from '../domain/file-kind';
import {
  DIFFERENCE_KINDS,
  type Difference,
  type DifferenceKind,
  type OrphanDebit,
} from '../domain/difference';
import { differenceKey, type RunRecord, type RunStore, type StoredRun } from '../infrastructure/run-store';
import type { StatementSource } from '../infrastructure/statement-source';
import type { SwitchBooks } from '../infrastructure/switch-books';
import type { OrphanDebits } from './orphan-debits';

export interface RunSummary extends RunRecord {
  readonly byKind: Readonly<Record<DifferenceKind, number>>;
  readonly differences: readonly (Difference & { resolution?: string })[];
}

export interface ReconciliationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class ReconciliationService {
  constructor(
    private readonly books: SwitchBooks,
    private readonly source: StatementSource,
    private readonly store: RunStore,
    private readonly orphans: OrphanDebits,
    private readonly manual: ManualInterventions,
    private readonly clock: Clock,
    private readonly log: ReconciliationLog,
  ) {}

  /** Every file kind of the channel (AMS: the transaction file, then the settlement reports). */
  async reconcileAll(channel: ChannelName, day: string): Promise<RunSummary[]> {
    const runs: RunSummary[] = [];
    for (const kind of fileKindsOf(channel)) runs.push(await this.reconcile(channel, day, kind));
    return runs;
  }

  async reconcile(
    channel: ChannelName,
    day: string,
    fileKind: FileKind = 'transactions',
  ): Promise<RunSummary> {
    const startedAt = this.clock.now();
    const window = statementDayWindow(channel, day);
    const matcher = new DayMatcher(window.end);
    if (channel === 'mapi') matcher.expectCancelsByAlipayId();
    for await (const page of this.books.paymentsOfDay(channel, window.start, window.end))
      matcher.addSwitchRecords(page);
    for await (const page of this.books.refundsOfDay(channel, window.start, window.end))
      matcher.addSwitchRecords([], page);

    let files: string[];
    try {
      files = await this.source.forEachFile(
        channel,
        day,
        async (name, entries) => {
          for await (const batch of entries)
            for (const entry of batch) {
              if (isTotalsMismatch(entry)) matcher.addTotalsMismatch(entry);
              else if (isUnreadable(entry))
                matcher.addUnreadable(`${name}#${entry.lineNumber}`.slice(-64), entry.problem);
              else matcher.addLine(entry);
            }
        },
        fileKind,
      );
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      this.log.warn({ channel, day, problem }, "reconciliation could not read the day's files");
      return this.finishRun(
        { channel, fileKind, day, files: '', outcome: 'failed', problem, startedAt },
        [],
        {},
      );
    }

    const unresolved = matcher.unresolvedRequestIds();
    matcher.addSwitchRecords(
      await this.books.paymentsByRequestId(unresolved.payments),
      await this.books.refundsByRequestId(unresolved.refunds),
    );
    matcher.addAlipayTransactionIds(await this.books.requestIdsByAlipayId(unresolved.alipayTransactionIds));
    const result = matcher.finish();

    const known = await this.store.knownDifferences(channel, day, fileKind);
    const resolutions: Record<string, string> = {};
    let differencesNew = 0;
    let orphansFixed = 0;
    for (const d of result.differences) {
      const key = differenceKey(d);
      const before = known.get(key);
      if (!before) {
        await this.store.addDifference(channel, day, fileKind, d, this.clock.now());
        differencesNew += 1;
      }
      if (d.kind === 'orphan-debit') {
        if (before?.resolution?.startsWith('fixed:')) {
          resolutions[key] = before.resolution;
          continue;
        }
        const fix = await this.orphans.fix(channel, d as OrphanDebit);
        const resolution = `${fix.fixed ? 'fixed' : 'manual'}: ${fix.resolution}`;
        await this.store.resolve(channel, day, fileKind, d, resolution);
        resolutions[key] = resolution;
        if (fix.fixed) orphansFixed += 1;
        this.log.info({ channel, day, reference: d.reference, resolution }, 'orphan debit handled');
      } else {
        await this.manual.open({
          paymentRequestId: d.reference.slice(0, 64),
          reason: 'reconciliation',
          detail: `${channel} ${day}${fileKind === 'transactions' ? '' : ` ${fileKind}`} ${d.kind}: switch ${d.switchSide}; Alipay ${d.alipaySide}`,
          at: this.clock.now(),
        });
        resolutions[key] = 'manual intervention';
      }
    }
    return this.finishRun(
      {
        channel,
        fileKind,
        day,
        files: files.join(' '),
        outcome: 'completed',
        startedAt,
        linesRead: result.linesRead,
        paymentsMatched: result.paymentsMatched,
        refundsMatched: result.refundsMatched,
        differencesNew,
        orphansFixed,
      },
      result.differences,
      resolutions,
    );
  }

  listRuns(
    filter: { channel?: ChannelName; day?: string; limit?: number; beforeId?: number } = {},
  ): Promise<StoredRun[]> {
    return this.store.listRuns(filter);
  }

  private async finishRun(
    run: Partial<RunRecord> &
      Pick<RunRecord, 'channel' | 'fileKind' | 'day' | 'files' | 'outcome' | 'startedAt'>,
    differences: readonly Difference[],
    resolutions: Record<string, string>,
  ): Promise<RunSummary> {
    const record: RunRecord = {
      linesRead: 0,
      paymentsMatched: 0,
      refundsMatched: 0,
      differencesNew: 0,
      orphansFixed: 0,
      ...run,
      differencesFound: differences.length,
      finishedAt: this.clock.now(),
    };
    await this.store.saveRun(record);
    const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
    for (const d of differences) byKind[d.kind] += 1;
    this.log.info(
      {
        channel: run.channel,
        fileKind: run.fileKind,
        day: run.day,
        outcome: run.outcome,
        byKind,
        new: record.differencesNew,
      },
      'reconciliation run finished',
    );
    return {
      ...record,
      byKind,
      differences: differences.map((d) => {
        const resolution = resolutions[differenceKey(d)];
        return resolution !== undefined ? { ...d, resolution } : d;
      }),
    };
  }
}
