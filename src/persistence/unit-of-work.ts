import { DataSource, EntityManager } from 'typeorm';
import { saveSqliteFile } from './sqlite-file';

/**
 * One database transaction per business step.
 *
 * MySQL runs transactions concurrently under row versions. The embedded sql.js database has a single
 * in-memory connection that cannot interleave transactions, so on it every step is queued, and a
 * committed step resolves only once the database file holding it is written (group commit: commits that
 * queue up while a write is pending share the next write, so durability costs one file write per batch,
 * not per transaction).
 */
export class UnitOfWork {
  private queue: Promise<unknown> = Promise.resolve();
  private pendingSave: Promise<void> | undefined;
  private readonly embedded: boolean;

  constructor(readonly dataSource: DataSource) {
    this.embedded = dataSource.options.type === 'sqljs';
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.embedded) return this.dataSource.transaction(work);
    const result = await this.enqueue(() => this.dataSource.transaction(work));
    await this.saved();
    return result;
  }

  /** Reads on sql.js wait their turn: between a transaction's statements they would see its uncommitted rows. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.embedded) return work(this.dataSource.manager);
    return this.enqueue(() => work(this.dataSource.manager));
  }

  private saved(): Promise<void> {
    this.pendingSave ??= this.enqueue(async () => {
      this.pendingSave = undefined;
      await saveSqliteFile(this.dataSource);
    });
    return this.pendingSave;
  }

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
