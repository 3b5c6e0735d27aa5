import { In, LessThanOrEqual, Not } from 'typeorm';
import { CancelJobEntity } from '../../../persistence/entities';
import type { UnitOfWork } from '../../../persistence/unit-of-work';
import type { CancelJob, CancelJobState, CancelJobStore } from '../../application/ports/cancel-jobs.port';

export class TypeOrmCancelJobStore implements CancelJobStore {
  constructor(private readonly uow: UnitOfWork) {}

  async add(orders: readonly { key: string; payload: string }[], at: Date): Promise<void> {
    if (orders.length === 0) return;
    await this.uow.run((m) =>
      m
        .createQueryBuilder()
        .insert()
        .into(CancelJobEntity)
        .values(
          orders.map((o) => ({
            paymentRequestId: o.key,
            payload: o.payload,
            attempts: 0,
            state: 'pending',
            firstSeenAt: at,
            nextAttemptAt: at,
            lastError: null,
            updatedAt: at,
          })),
        )
        // Relayed twice (a crash before the outbox stamp): the queued job stands as it is.
        .orIgnore()
        .execute(),
    );
    // A new order (its payload carries its own requestedAt) for a payment whose cancel was done runs
    // again: Alipay reported success after CANCELLED. A relayed duplicate of the old order does not.
    await this.uow.run(async (m) => {
      for (const o of orders)
        await m.update(
          CancelJobEntity,
          { paymentRequestId: o.key, state: 'done', payload: Not(o.payload) },
          {
            payload: o.payload,
            state: 'pending',
            attempts: 0,
            nextAttemptAt: at,
            lastError: null,
            updatedAt: at,
          },
        );
    });
  }

  async due(now: Date, limit: number, excluding: ReadonlySet<string>): Promise<CancelJob[]> {
    const rows = await this.uow.read((m) =>
      m.find(CancelJobEntity, {
        where: {
          state: 'pending',
          nextAttemptAt: LessThanOrEqual(now),
          ...(excluding.size > 0 ? { paymentRequestId: Not(In([...excluding])) } : {}),
        },
        order: { nextAttemptAt: 'ASC' },
        take: limit,
      }),
    );
    return rows.map(fromRow);
  }

  async nextDueAt(excluding: ReadonlySet<string>): Promise<Date | undefined> {
    const row = await this.uow.read((m) =>
      m.findOne(CancelJobEntity, {
        where: {
          state: 'pending',
          ...(excluding.size > 0 ? { paymentRequestId: Not(In([...excluding])) } : {}),
        },
        order: { nextAttemptAt: 'ASC' },
      }),
    );
    return row?.nextAttemptAt;
  }

  async settle(
    key: string,
    update: { attempts: number; state: CancelJobState; nextAttemptAt: Date; lastError?: string },
  ): Promise<void> {
    await this.uow.run((m) =>
      m.update(
        CancelJobEntity,
        { paymentRequestId: key },
        {
          attempts: update.attempts,
          state: update.state,
          nextAttemptAt: update.nextAttemptAt,
          lastError: update.lastError?.slice(0, 255) ?? null,
          updatedAt: new Date(),
        },
      ),
    );
  }
}

function fromRow(row: CancelJobEntity): CancelJob {
  return {
    key: row.paymentRequestId,
    payload: row.payload,
    attempts: row.attempts,
    state: row.state as CancelJobState,
    firstSeenAt: row.firstSeenAt,
    nextAttemptAt: row.nextAttemptAt,
    ...(row.lastError !== null ? { lastError: row.lastError } : {}),
  };
}
