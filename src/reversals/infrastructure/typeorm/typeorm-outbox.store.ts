import { In, IsNull } from 'typeorm';
import { OutboxMessageEntity } from '../../../persistence/entities';
import type { UnitOfWork } from '../../../persistence/unit-of-work';
import type { OutboxRow, OutboxStore } from '../../application/ports/outbox.port';

export class TypeOrmOutboxStore implements OutboxStore {
  constructor(private readonly uow: UnitOfWork) {}

  async unrelayed(kinds: readonly string[], limit: number): Promise<OutboxRow[]> {
    const rows = await this.uow.read((m) =>
      m.find(OutboxMessageEntity, {
        where: { relayedAt: IsNull(), kind: In([...kinds]) },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
    return rows.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      key: r.messageKey,
      payload: r.payload,
      createdAt: r.createdAt,
    }));
  }

  async markRelayed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.uow.run((m) => m.update(OutboxMessageEntity, { id: In([...ids]) }, { relayedAt: at }));
  }
}
