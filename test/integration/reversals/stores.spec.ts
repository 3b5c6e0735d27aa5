/**
 * The reversals module's tables through their TypeORM stores, on MariaDB and on the embedded SQLite:
 * unique keys doing the deduplication, binding an early reversal to one payment only, one open
 * manual-intervention entry per payment, the cancel job queue, the outbox reads and the commit signal.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/persistence/data-source';
import { OutboxMessageEntity } from '../../../src/persistence/entities';
import { cancelOrderFor } from '../../../src/payments/application/cancel-order';
import { VersionConflictError } from '../../../src/payments/domain/errors';
import { aPayment } from '../../../src/payments/testing/fixtures';
import { SqlPaymentRepository } from '../../../src/persistence/repositories/sql-payment.repository';
import { openSqlSession } from '../../../src/persistence/sql';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import type { EarlyReversal } from '../../../src/reversals/domain/early-reversal';
import { OutboxCommitSignal } from '../../../src/reversals/infrastructure/typeorm/outbox-commit-signal';
import { TypeOrmCancelJobStore } from '../../../src/reversals/infrastructure/typeorm/typeorm-cancel-job.store';
import { TypeOrmEarlyReversalStore } from '../../../src/reversals/infrastructure/typeorm/typeorm-early-reversal.store';
import { TypeOrmManualInterventions } from '../../../src/reversals/infrastructure/typeorm/typeorm-manual-interventions';
import { TypeOrmOutboxStore } from '../../../src/reversals/infrastructure/typeorm/typeorm-outbox.store';
import { DATABASE_KINDS, type TestDatabase } from '../../support/databases';

const at = new Date('2025-01-15T10:00:00.123Z');

describe.each(DATABASE_KINDS)('reversal stores on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    db = await create();
    dataSource = await openDatabase(db.config);
    uow = new UnitOfWork(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  describe('early reversals', () => {
    const reversal = (overrides: Partial<EarlyReversal> = {}): EarlyReversal => ({
      id: randomUUID(),
      terminalId: 'TERM0001',
      merchantId: 'MERCHANT0000001',
      originalStan: '000777',
      originalMti: '0200',
      originalLocalDateTime: '0115095958',
      reversalMti: '0420',
      reversalLocalDateTime: '0115100000',
      amountMinor: 1250,
      currencyNumeric: '840',
      receivedAt: at,
      ...overrides,
    });

    it('stores a reversal once: a repeat (even racing the first) gets the stored one back', async () => {
      const store = new TypeOrmEarlyReversalStore(uow, openSqlSession(dataSource, uow));
      const first = reversal();
      const [a, b] = await Promise.all([store.store(first), store.store(reversal({ reversalMti: '0420' }))]);
      expect([a.reversal.id, b.reversal.id]).toEqual([first.id, first.id]);
      expect([a.repeat, b.repeat].sort()).toEqual([false, true]);
      expect(await store.findByTerminalStan('TERM0001', '000777')).toEqual([first]);
    });

    it('binds a reversal to one payment only', async () => {
      const store = new TypeOrmEarlyReversalStore(uow, openSqlSession(dataSource, uow));
      const { reversal: stored } = await store.store(reversal({ originalStan: '000778' }));
      expect(await store.bind(stored.id, 'payment-1', at)).toBe(true);
      expect(await store.bind(stored.id, 'payment-1', at)).toBe(true);
      expect(await store.bind(stored.id, 'payment-2', at)).toBe(false);
      expect((await store.findByTerminalStan('TERM0001', '000778'))[0]).toMatchObject({
        matchedPaymentId: 'payment-1',
        matchedAt: at,
      });
    });

    it('keeps a legacy reversal (no original date/time) apart from another of the same STAN', async () => {
      const store = new TypeOrmEarlyReversalStore(uow, openSqlSession(dataSource, uow));
      const legacy = { originalStan: '000779', originalMti: undefined, originalLocalDateTime: undefined };
      await store.store(reversal(legacy));
      await store.store(reversal({ ...legacy, reversalLocalDateTime: '0116100000' }));
      const found = await store.findByTerminalStan('TERM0001', '000779');
      expect(found).toHaveLength(2);
      expect(found[0]).not.toHaveProperty('originalLocalDateTime');
    });

    it('never takes a bound or stale reversal for a repeat of a new one with the same key', async () => {
      const store = new TypeOrmEarlyReversalStore(uow, openSqlSession(dataSource, uow));
      // No field 90 and no 12/13: the key is only terminal and STAN.
      const keyOnlyStan = {
        originalStan: '000780',
        originalMti: undefined,
        originalLocalDateTime: undefined,
        reversalLocalDateTime: '',
      };
      const { reversal: bound } = await store.store(reversal(keyOnlyStan));
      expect(await store.bind(bound.id, 'payment-9', at)).toBe(true);

      const later = reversal({ ...keyOnlyStan, receivedAt: new Date(at.getTime() + 60_000) });
      const second = await store.store(later);
      expect(second).toEqual({ reversal: later, repeat: false });
      // Its own repeat is still a repeat.
      expect(
        await store.store(reversal({ ...keyOnlyStan, receivedAt: new Date(at.getTime() + 61_000) })),
      ).toEqual({
        reversal: later,
        repeat: true,
      });

      // Two days on, the unbound one is too old to be repeated: a new reversal gets a row of its own.
      const twoDaysOn = reversal({ ...keyOnlyStan, receivedAt: new Date(at.getTime() + 2 * 86_400_000) });
      expect(await store.store(twoDaysOn)).toEqual({ reversal: twoDaysOn, repeat: false });
      const all = await store.findByTerminalStan('TERM0001', '000780');
      expect(all.map((r) => r.id).sort()).toEqual([bound.id, later.id, twoDaysOn.id].sort());
      expect(all.find((r) => r.id === bound.id)?.matchedPaymentId).toBe('payment-9');
    });
  });

  describe('manual interventions', () => {
    it('keeps one open entry per payment, and a new one once it is resolved', async () => {
      const list = new TypeOrmManualInterventions(uow);
      const entry = {
        paymentId: 'p-1',
        paymentRequestId: 'PR-1',
        reason: 'retries-exhausted' as const,
        detail: 'no answer',
        at,
      };
      await Promise.all([list.open(entry), list.open({ ...entry, reason: 'dead-letter', detail: 'again' })]);
      const open = await list.listOpen();
      expect(open).toEqual([expect.objectContaining({ paymentRequestId: 'PR-1', paymentId: 'p-1' })]);
      await list.resolve(open[0].id, at);
      expect(await list.listOpen()).toEqual([]);
      await list.open({ ...entry, detail: 'stuck again' });
      expect(await list.listOpen()).toEqual([expect.objectContaining({ detail: 'stuck again' })]);
      await list.open({
        paymentRequestId: 'GARBAGE-KEY',
        reason: 'unprocessable',
        detail: 'payload is not JSON',
        at,
      });
      expect((await list.listOpen()).find((e) => e.paymentRequestId === 'GARBAGE-KEY')).not.toHaveProperty(
        'paymentId',
      );
    });
  });

  describe('cancel jobs', () => {
    it('queues an order once and hands out due jobs soonest first, leaving out those in flight', async () => {
      const jobs = new TypeOrmCancelJobStore(uow);
      await jobs.add(
        [
          { key: 'J1', payload: '{"a":1}' },
          { key: 'J2', payload: '{}' },
        ],
        at,
      );
      await jobs.add([{ key: 'J1', payload: '{"a":2}' }], new Date(at.getTime() + 1));
      await jobs.settle('J2', {
        attempts: 1,
        state: 'pending',
        nextAttemptAt: new Date(at.getTime() - 1_000),
        lastError: 'cancel timeout',
      });
      const due = await jobs.due(at, 10, new Set());
      expect(due.map((j) => [j.key, j.attempts, j.payload])).toEqual([
        ['J2', 1, '{}'],
        ['J1', 0, '{"a":1}'],
      ]);
      expect(due[0].lastError).toBe('cancel timeout');
      expect((await jobs.due(at, 10, new Set(['J2']))).map((j) => j.key)).toEqual(['J1']);
      expect(await jobs.nextDueAt(new Set(['J2']))).toEqual(at);
      await jobs.settle('J1', { attempts: 1, state: 'done', nextAttemptAt: at });
      await jobs.settle('J2', {
        attempts: 2,
        state: 'dead',
        nextAttemptAt: at,
        lastError: 'retries-exhausted',
      });
      expect(await jobs.due(new Date(at.getTime() + 60_000), 10, new Set())).toEqual([]);
      expect(await jobs.nextDueAt(new Set())).toBeUndefined();
    });

    it('runs a done cancel again when a new order for it comes (a success reported after CANCELLED)', async () => {
      const jobs = new TypeOrmCancelJobStore(uow);
      const first = '{"requestedAt":"1"}';
      const second = '{"requestedAt":"2"}';
      await jobs.add(['R1', 'R2', 'R3'].map((key) => ({ key, payload: first })), at);
      for (const key of ['R1', 'R3']) await jobs.settle(key, { attempts: 1, state: 'done', nextAttemptAt: at });
      await jobs.settle('R2', { attempts: 9, state: 'dead', nextAttemptAt: at, lastError: 'gave up' });
      const later = new Date(at.getTime() + 5_000);
      await jobs.add(
        [
          { key: 'R1', payload: second },
          { key: 'R2', payload: second },
          { key: 'R3', payload: first }, // the old order relayed again: nothing to do
        ],
        later,
      );
      const due = await jobs.due(later, 10, new Set());
      // The dead one stays with people (its payment is flagged and on the manual list).
      expect(due.map((j) => [j.key, j.attempts, j.payload])).toEqual([['R1', 0, second]]);
    });
  });

  describe('outbox', () => {
    it('reads unrelayed rows of the given kinds in id order and stamps them', async () => {
      const store = new TypeOrmOutboxStore(uow);
      await uow.run((m) =>
        m.insert(
          OutboxMessageEntity,
          ['O1', 'O2', 'O3'].map((key) => ({
            kind: key === 'O2' ? 'OTHER' : 'CANCEL',
            messageKey: key,
            payload: `{"k":"${key}"}`,
            createdAt: at,
            relayedAt: null,
          })),
        ),
      );
      const rows = await store.unrelayed(['CANCEL'], 10);
      expect(rows.map((r) => [r.key, r.payload])).toEqual([
        ['O1', '{"k":"O1"}'],
        ['O3', '{"k":"O3"}'],
      ]);
      expect(Number(rows[0].id)).toBeLessThan(Number(rows[1].id));
      await store.markRelayed([rows[0].id], at);
      expect((await store.unrelayed(['CANCEL'], 10)).map((r) => r.key)).toEqual(['O3']);
      await store.markRelayed([rows[1].id], at);
    });

    it('signals after a commit that wrote an outbox row, never after a rollback', async () => {
      const signals: string[] = [];
      const detach = new OutboxCommitSignal(() => signals.push('commit')).attach(
        dataSource,
        openSqlSession(dataSource, uow),
      );
      try {
        await uow.run((m) => m.query('SELECT 1'));
        expect(signals).toEqual([]);
        await uow
          .run(async (m) => {
            await m.insert(OutboxMessageEntity, {
              kind: 'CANCEL',
              messageKey: 'RB',
              payload: '{}',
              createdAt: at,
              relayedAt: null,
            });
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        expect(signals).toEqual([]);
        await uow.run((m) =>
          m.insert(OutboxMessageEntity, {
            kind: 'CANCEL',
            messageKey: 'C1',
            payload: '{}',
            createdAt: at,
            relayedAt: null,
          }),
        );
        expect(signals).toEqual(['commit']);
      } finally {
        detach();
      }
      await uow.run((m) =>
        m.insert(OutboxMessageEntity, {
          kind: 'CANCEL',
          messageKey: 'C2',
          payload: '{}',
          createdAt: at,
          relayedAt: null,
        }),
      );
      expect(signals).toEqual(['commit']);
    });

    it('signals after the payments path commits a cancel order, not when its version check refuses it', async () => {
      const sql = openSqlSession(dataSource, uow);
      const payments = new SqlPaymentRepository(sql);
      const signals: string[] = [];
      const detach = new OutboxCommitSignal(() => signals.push('commit')).attach(dataSource, sql);
      try {
        const payment = aPayment({
          id: 'sig-1',
          paymentRequestId: 'SIG-1',
          rrn: 'SIG000000001',
          stan: '515151',
        });
        await payments.insert(payment, []);
        expect(signals).toEqual([]);
        const order = cancelOrderFor(payment, 'terminal-reversal', at);
        const cancelRequested = { ...payment, state: 'CANCEL_REQUESTED' as const, version: 2 };
        const stale = await payments.update(cancelRequested, 5, [], [order]).catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(VersionConflictError);
        expect(signals).toEqual([]);
        await payments.update(cancelRequested, 1, [], [order]);
        expect(signals).toEqual(['commit']);
      } finally {
        detach();
      }
    });
  });
});
