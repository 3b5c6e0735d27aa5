/**
 * Several instances each run an outbox relay on one MariaDB database: every cancel order is handed on
 * exactly once, because a batch is read FOR UPDATE SKIP LOCKED and stamped in the same transaction.
 */
import { DataSource } from 'typeorm';
import { systemClock } from '../../../src/payments/application/system-time';
import { openDatabase } from '../../../src/persistence/data-source';
import { OutboxMessageEntity } from '../../../src/persistence/entities';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { OutboxRelay } from '../../../src/reversals/application/outbox-relay';
import type { OutboxRow } from '../../../src/reversals/application/ports/outbox.port';
import { TypeOrmOutboxStore } from '../../../src/reversals/infrastructure/typeorm/typeorm-outbox.store';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { eventually } from '../../support/pos-helpers';

const ROWS = 120;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('outbox relays of two instances on one MariaDB database', () => {
  let db: TestDatabase;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
    // One connection pool per "instance", as two processes would have.
    dataSources.push(await openDatabase(db.config), await openDatabase(db.config));
  }, 60_000);

  afterAll(async () => {
    for (const ds of dataSources) await ds.destroy();
    await db?.drop();
  });

  it('hands every row on exactly once', async () => {
    const at = new Date();
    await dataSources[0].getRepository(OutboxMessageEntity).insert(
      Array.from({ length: ROWS }, (_, i) => ({ kind: 'CANCEL', messageKey: `key-${i}`, payload: `{"n":${i}}`, createdAt: at, relayedAt: null })),
    );
    const delivered: Array<{ relay: number; key: string }> = [];
    const relays = dataSources.map((ds, relay) => {
      const sink = {
        // Slow enough that both relays are busy at once: the second must skip the rows the first holds.
        deliver: async (rows: readonly OutboxRow[]) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          for (const row of rows) delivered.push({ relay, key: row.key });
        },
      };
      return new OutboxRelay(new TypeOrmOutboxStore(new UnitOfWork(ds)), sink, systemClock, quiet, { kinds: ['CANCEL'], batchSize: 5, pollIntervalMs: 200 });
    });
    relays.forEach((r) => r.start());
    try {
      await eventually(async () => (delivered.length >= ROWS ? true : undefined), 30_000);
      // A second pass of both relays finds nothing left.
      await new Promise((resolve) => setTimeout(resolve, 600));
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
    const keys = delivered.map((d) => d.key);
    expect(new Set(keys).size).toBe(ROWS);
    expect(keys).toHaveLength(ROWS);
    // Both took part: the rows were shared, not all drained by whichever started first.
    expect(new Set(delivered.map((d) => d.relay)).size).toBe(2);
    expect(await dataSources[0].getRepository(OutboxMessageEntity).createQueryBuilder('o').where('o.relayed_at IS NULL').getCount()).toBe(0);
  }, 60_000);
});
