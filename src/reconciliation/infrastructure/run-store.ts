/** Reconciliation runs and differences (tables from migration 1764600000000, file kinds from 1764710000000). */
import type { ChannelName } from '@switch/alipay';
import { dateFrom, numberFrom, utcText, type ColumnValue } from '../../persistence/sql/sql-values';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { Difference, DifferenceKind } from '../domain/difference';
import type { FileKind } from '../domain/file-kind';

export interface RunRecord {
  readonly channel: ChannelName;
  /** Which of the channel's files the run read (differences are kept per channel-day and file kind). */
  readonly fileKind: FileKind;
  readonly day: string;
  readonly files: string;
  /** completed, or failed (the file could not be fetched or read: nothing was classified). */
  readonly outcome: 'completed' | 'failed';
  readonly linesRead: number;
  readonly paymentsMatched: number;
  readonly refundsMatched: number;
  readonly differencesFound: number;
  readonly differencesNew: number;
  readonly orphansFixed: number;
  readonly problem?: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

export interface StoredRun extends RunRecord {
  readonly id: string;
}

export interface StoredDifference extends Difference {
  readonly channel: ChannelName;
  readonly day: string;
  readonly resolution?: string;
  readonly foundAt: Date;
}

type Row = Record<string, ColumnValue>;

export class RunStore {
  constructor(private readonly uow: UnitOfWork) {}

  async saveRun(run: RunRecord): Promise<void> {
    await this.uow.run((m) =>
      m.query(
        `INSERT INTO reconciliation_runs (channel, file_kind, day, files, outcome, lines_read, payments_matched,
           refunds_matched, differences_found, differences_new, orphans_fixed, problem, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          run.channel,
          run.fileKind,
          run.day,
          run.files.slice(0, 512),
          run.outcome,
          run.linesRead,
          run.paymentsMatched,
          run.refundsMatched,
          run.differencesFound,
          run.differencesNew,
          run.orphansFixed,
          run.problem?.slice(0, 255) ?? null,
          utcText(run.startedAt),
          utcText(run.finishedAt),
        ],
      ),
    );
  }

  /** Newest first. */
  /** Newest first; `beforeId` continues a page (keyset, never OFFSET). */
  async listRuns(
    filter: { channel?: ChannelName; day?: string; limit?: number; beforeId?: number } = {},
  ): Promise<StoredRun[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.beforeId !== undefined) {
      where.push('id < ?');
      params.push(filter.beforeId);
    }
    for (const [column, value] of [
      ['channel', filter.channel],
      ['day', filter.day],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 100)), 1_000);
    const rows = await this.uow.read((m) =>
      m.query<Row[]>(
        `SELECT * FROM reconciliation_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY id DESC LIMIT ${limit}`,
        params,
      ),
    );
    return rows.map((r) => ({
      id: String(r.id),
      channel: String(r.channel) as ChannelName,
      fileKind: String(r.file_kind) as FileKind,
      day: String(r.day),
      files: String(r.files),
      outcome: String(r.outcome) as RunRecord['outcome'],
      linesRead: numberFrom(r.lines_read),
      paymentsMatched: numberFrom(r.payments_matched),
      refundsMatched: numberFrom(r.refunds_matched),
      differencesFound: numberFrom(r.differences_found),
      differencesNew: numberFrom(r.differences_new),
      orphansFixed: numberFrom(r.orphans_fixed),
      ...(r.problem ? { problem: String(r.problem) } : {}),
      startedAt: dateFrom(r.started_at),
      finishedAt: dateFrom(r.finished_at),
    }));
  }

  /** The differences already recorded for a channel-day, by kind and reference. */
  async knownDifferences(
    channel: ChannelName,
    day: string,
    fileKind: FileKind,
  ): Promise<Map<string, StoredDifference>> {
    const rows = await this.uow.read((m) =>
      m.query<Row[]>(
        'SELECT * FROM reconciliation_differences WHERE channel = ? AND day = ? AND file_kind = ?',
        [channel, day, fileKind],
      ),
    );
    return new Map(
      rows.map((r) => {
        const d: StoredDifference = {
          channel,
          day,
          kind: String(r.kind) as DifferenceKind,
          reference: String(r.reference),
          switchSide: String(r.switch_side),
          alipaySide: String(r.alipay_side),
          ...(r.resolution ? { resolution: String(r.resolution) } : {}),
          foundAt: dateFrom(r.found_at),
        };
        return [differenceKey(d), d];
      }),
    );
  }

  async addDifference(
    channel: ChannelName,
    day: string,
    fileKind: FileKind,
    d: Difference,
    at: Date,
  ): Promise<void> {
    await this.uow.run((m) =>
      m.query(
        `INSERT INTO reconciliation_differences (channel, day, file_kind, kind, reference, switch_side, alipay_side, found_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          channel,
          day,
          fileKind,
          d.kind,
          d.reference.slice(0, 64),
          d.switchSide.slice(0, 128),
          d.alipaySide.slice(0, 128),
          utcText(at),
        ],
      ),
    );
  }

  async resolve(
    channel: ChannelName,
    day: string,
    fileKind: FileKind,
    d: Difference,
    resolution: string,
  ): Promise<void> {
    await this.uow.run((m) =>
      m.query(
        'UPDATE reconciliation_differences SET resolution = ? WHERE channel = ? AND day = ? AND file_kind = ? AND kind = ? AND reference = ?',
        [resolution, channel, day, fileKind, d.kind, d.reference.slice(0, 64)],
      ),
    );
  }
}

export const differenceKey = (d: Difference): string => `${d.kind}\u0000${d.reference.slice(0, 64)}`;
