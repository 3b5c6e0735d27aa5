/** In-memory versions of the reversals ports, with the same semantics as the TypeORM ones, for unit tests. */
import type { CancelJob, CancelJobState, CancelJobStore } from '../application/ports/cancel-jobs.port';
import type { EarlyReversalStore } from '../application/ports/early-reversal.store.port';
import type {
  ManualIntervention,
  ManualInterventionRequest,
  ManualInterventions,
} from '../application/ports/manual-interventions.port';
import type { OutboxRow, OutboxStore } from '../application/ports/outbox.port';
import {
  earlyReversalKey,
  isRepeatOf,
  retiredReversalKey,
  type EarlyReversal,
} from '../domain/early-reversal';

export class InMemoryOutbox implements OutboxStore {
  readonly rows: (OutboxRow & { relayedAt?: Date })[] = [];
  private nextId = 1;
  failNextRead?: Error;

  add(kind: string, key: string, payload: string): OutboxRow {
    const row = { id: String(this.nextId++), kind, key, payload, createdAt: new Date() };
    this.rows.push(row);
    return row;
  }

  async unrelayed(kinds: readonly string[], limit: number): Promise<OutboxRow[]> {
    if (this.failNextRead) {
      const error = this.failNextRead;
      this.failNextRead = undefined;
      throw error;
    }
    return this.rows
      .filter((r) => r.relayedAt === undefined && kinds.includes(r.kind))
      .slice(0, limit)
      .map(({ id, kind, key, payload, createdAt }) => ({ id, kind, key, payload, createdAt }));
  }

  async markRelayed(ids: readonly string[], at: Date): Promise<void> {
    for (const row of this.rows) if (ids.includes(row.id)) row.relayedAt = at;
  }
}

export class InMemoryEarlyReversals implements EarlyReversalStore {
  readonly rows = new Map<string, EarlyReversal>();

  async store(reversal: EarlyReversal): Promise<{ reversal: EarlyReversal; repeat: boolean }> {
    const key = earlyReversalKey(reversal);
    const existing = this.rows.get(key);
    if (existing && isRepeatOf(existing, reversal)) return { reversal: existing, repeat: true };
    if (existing) this.rows.set(retiredReversalKey(existing), existing);
    this.rows.set(key, reversal);
    return { reversal, repeat: false };
  }

  async findByTerminalStan(terminalId: string, originalStan: string): Promise<EarlyReversal[]> {
    return [...this.rows.values()].filter(
      (r) => r.terminalId === terminalId && r.originalStan === originalStan,
    );
  }

  async bind(reversalId: string, paymentId: string, at: Date): Promise<boolean> {
    for (const [key, row] of this.rows) {
      if (row.id !== reversalId) continue;
      if (row.matchedPaymentId === undefined)
        this.rows.set(key, { ...row, matchedPaymentId: paymentId, matchedAt: at });
      return (this.rows.get(key)?.matchedPaymentId ?? paymentId) === paymentId;
    }
    return false;
  }
}

export class InMemoryManualInterventions implements ManualInterventions {
  readonly entries: ManualIntervention[] = [];

  async open(request: ManualInterventionRequest): Promise<void> {
    if (
      this.entries.some((e) => e.paymentRequestId === request.paymentRequestId && e.resolvedAt === undefined)
    )
      return;
    this.entries.push({ ...request, id: String(this.entries.length + 1) });
  }

  async listOpen(): Promise<ManualIntervention[]> {
    return this.entries.filter((e) => e.resolvedAt === undefined);
  }

  async resolve(id: string, at: Date): Promise<void> {
    const index = this.entries.findIndex((e) => e.id === id);
    if (index >= 0) this.entries[index] = { ...this.entries[index], resolvedAt: at };
  }
}

export class InMemoryCancelJobs implements CancelJobStore {
  readonly jobs = new Map<string, CancelJob>();
  failNextSettle?: Error;

  async add(orders: readonly { key: string; payload: string }[], at: Date): Promise<void> {
    for (const { key, payload } of orders) {
      // As the TypeORM store: a new order (not a relayed duplicate) for a done cancel runs it again.
      const job = this.jobs.get(key);
      if (!job || (job.state === 'done' && job.payload !== payload)) {
        this.jobs.set(key, {
          key,
          payload,
          attempts: 0,
          state: 'pending',
          firstSeenAt: at,
          nextAttemptAt: at,
        });
      }
    }
  }

  async due(now: Date, limit: number, excluding: ReadonlySet<string>): Promise<CancelJob[]> {
    return [...this.jobs.values()]
      .filter(
        (j) => j.state === 'pending' && j.nextAttemptAt.getTime() <= now.getTime() && !excluding.has(j.key),
      )
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit);
  }

  async nextDueAt(excluding: ReadonlySet<string>): Promise<Date | undefined> {
    const pending = [...this.jobs.values()].filter((j) => j.state === 'pending' && !excluding.has(j.key));
    if (pending.length === 0) return undefined;
    return new Date(Math.min(...pending.map((j) => j.nextAttemptAt.getTime())));
  }

  async settle(
    key: string,
    update: { attempts: number; state: CancelJobState; nextAttemptAt: Date; lastError?: string },
  ): Promise<void> {
    if (this.failNextSettle) {
      const error = this.failNextSettle;
      this.failNextSettle = undefined;
      throw error;
    }
    const job = this.jobs.get(key);
    if (!job) return;
    // Like the table: last_error is whatever this update says.
    const next: CancelJob = { key: job.key, payload: job.payload, firstSeenAt: job.firstSeenAt, ...update };
    this.jobs.set(key, next);
  }
}
