import { In, IsNull } from 'typeorm';
import { OutboxMessageEntity } from '../../../persistence/entities';
import type { UnitOfWork } from '../../../persistence/unit-of-work';
import type { OutboxRow, OutboxStore } from '../../application/ports/outbox.port';

export class TypeOrmOutboxStore implements OutboxStore {
  readonly relayLocked: OutboxStore['relayLocked'];

  constructor(private readonly uow: UnitOfWork) {
    // MySQL only (MariaDB 10.6+ for SKIP LOCKED): sql.js has one connection, and a transaction held open
    // while the in-process queue writes its jobs would wait on itself; the embedded database is one instance.
    this.relayLocked = uow.dataSource.options.type === 'mysql' ? this.lockAndRelay.bind(this) : undefined;
  }

  async unrelayed(kinds: readonly string[], limit: number): Promise<OutboxRow[]> {
    const rows = await this.uow.read((m) =>
      m.find(OutboxMessageEntity, {
        where: { relayedAt: IsNull(), kind: In([...kinds]) },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
    return rows.map(toRow);
  }

  async markRelayed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.uow.run((m) => m.update(OutboxMessageEntity, { id: In([...ids]) }, { relayedAt: at }));
  }

  private lockAndRelay(
    kinds: readonly string[],
    limit: number,
    deliver: (rows: readonly OutboxRow[]) => Promise<void>,
    now: () => Date,
  ): Promise<number> {
    // READ COMMITTED: the lock is held while Kafka takes the batch (for as long as a broker outage lasts).
    // Under InnoDB's default REPEATABLE READ, FOR UPDATE also locks the gap after the last row read, and every
    // new outbox row (a reversal being stored, a cancel decided) would wait for the broker with it.
    return this.uow.dataSource.transaction('READ COMMITTED', async (m) => {
      const rows = await m
        .createQueryBuilder(OutboxMessageEntity, 'o')
        .where('o.relayedAt IS NULL')
        .andWhere('o.kind IN (:...kinds)', { kinds: [...kinds] })
        .orderBy('o.id', 'ASC')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (rows.length === 0) return 0;
      const found = rows.map(toRow);
      await deliver(found);
      await m.update(OutboxMessageEntity, { id: In(found.map((r) => r.id)) }, { relayedAt: now() });
      return found.length;
    });
  }
}

function toRow(r: OutboxMessageEntity): OutboxRow {
  return { id: String(r.id), kind: r.kind, key: r.messageKey, payload: r.payload, createdAt: r.createdAt };
}
