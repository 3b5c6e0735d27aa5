import { DataSource, EntityManager } from 'typeorm';

/**
 * One database transaction per business step. sql.js runs on a single in-memory connection that
 * cannot nest transactions, so on the embedded database transactions are queued one at a time;
 * MySQL runs them concurrently under row locks and version checks.
 */
export class UnitOfWork {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialised: boolean;

  constructor(readonly dataSource: DataSource) {
    this.serialised = dataSource.options.type === 'sqljs';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialised) return this.dataSource.transaction(work);
    const next = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Reads on sql.js must also wait: a read between a transaction's statements would see its uncommitted rows. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialised) return work(this.dataSource.manager);
    const next = this.queue.then(() => work(this.dataSource.manager));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
