/**
 * Wakes the outbox relay right after a database transaction that wrote an outbox row commits, so a
 * reversal reaches its queue in milliseconds instead of at the relay's next poll. It listens to both
 * ways rows are written: TypeORM (a subscriber) and the hand-written SQL of the payments path (the
 * session's commit listeners). The payments repositories stay unaware of it.
 */
import type {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { OutboxMessageEntity } from '../../../persistence/entities';
import type { SqlSession } from '../../../persistence/sql';

const OUTBOX_TABLE = 'outbox';

export class OutboxCommitSignal implements EntitySubscriberInterface<OutboxMessageEntity> {
  private readonly wroteOutbox = new WeakSet<QueryRunner>();

  constructor(private readonly onCommit: () => void) {}

  listenTo(): typeof OutboxMessageEntity {
    return OutboxMessageEntity;
  }

  afterInsert(event: InsertEvent<OutboxMessageEntity>): void {
    if (event.queryRunner.isTransactionActive) this.wroteOutbox.add(event.queryRunner);
    else this.onCommit(); // an insert outside a transaction is committed already
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!this.wroteOutbox.delete(event.queryRunner)) return;
    this.onCommit();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.wroteOutbox.delete(event.queryRunner);
  }

  /** Adds the signal to an open DataSource and its SQL session; returns the function that takes it off again. */
  attach(dataSource: DataSource, sql: SqlSession): () => void {
    dataSource.subscribers.push(this);
    const stopListening = sql.onCommit((plan) => {
      if (plan.writes.some((statement) => statement.table === OUTBOX_TABLE)) this.onCommit();
    });
    return () => {
      stopListening();
      const at = dataSource.subscribers.indexOf(this);
      if (at >= 0) dataSource.subscribers.splice(at, 1);
    };
  }
}
