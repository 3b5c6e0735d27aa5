/**
 * The lease table and the owner columns of payments and refunds through SqlInstanceLeases, on MariaDB and
 * the embedded SQLite: a lease is registered under a new epoch, renewed only under that epoch, released;
 * owners without a live lease are lapsed; only unfinished payments and refunds still retried count as owned.
 */
import { DataSource } from 'typeorm';
import type { Payment } from '../../../src/payments/domain/payment';
import type { Refund } from '../../../src/payments/domain/refund';
import { aPayment, aRefund } from '../../../src/payments/testing/fixtures';
import { openDatabase } from '../../../src/persistence/data-source';
import { PaymentEntity, RefundEntity } from '../../../src/persistence/entities';
import { SqlPaymentRepository } from '../../../src/persistence/repositories/sql-payment.repository';
import { SqlRefundRepository } from '../../../src/persistence/repositories/sql-refund.repository';
import { SqlInstanceLeases } from '../../../src/persistence/sql-instance-leases';
import { openSqlSession } from '../../../src/persistence/sql';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { readQueueState } from '../../../src/operations/queue-state';
import { DATABASE_KINDS, type TestDatabase } from '../../support/databases';

const T0 = new Date('2025-01-15T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(DATABASE_KINDS)('instance leases on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let leases: SqlInstanceLeases;
  let payments: SqlPaymentRepository;
  let refunds: SqlRefundRepository;
  let n = 0;

  const stored = async (changes: Partial<Payment>): Promise<Payment> => {
    n += 1;
    const payment = aPayment({ id: `p${n}`, paymentRequestId: `REQ${n}`, rrn: `RRN${String(n).padStart(9, '0')}`, stan: String(n).padStart(6, '0'), ...changes });
    await payments.insert(payment, []);
    return payment;
  };
  const storedRefund = async (changes: Partial<Refund>): Promise<Refund> => {
    const original = await stored({ state: 'APPROVED', delivery: 'delivered' });
    n += 1;
    const refund = aRefund({ id: `r${n}`, paymentId: original.id, refundRequestId: `RF${n}`, rrn: `RRN${String(n).padStart(9, '0')}`, stan: String(n).padStart(6, '0'), ...changes });
    await refunds.insert(refund, [], { payment: { ...original, version: original.version + 1 }, expectedVersion: original.version });
    return refund;
  };

  beforeAll(async () => {
    db = await create();
    dataSource = await openDatabase(db.config);
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    leases = new SqlInstanceLeases(session);
    payments = new SqlPaymentRepository(session);
    refunds = new SqlRefundRepository(session);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('registers under a new epoch each time, renews only under the current one, and releases', async () => {
    const first = await leases.register('switch-a', T0, later(3_000));
    expect(await leases.renew('switch-a', first, later(1_000), later(4_000))).toBe(true);
    // A second process started under the same id: the first one's renewals are refused.
    const second = await leases.register('switch-a', later(1_500), later(4_500));
    expect(second).toBe(first + 1);
    expect(await leases.renew('switch-a', first, later(2_000), later(5_000))).toBe(false);
    expect(await leases.renew('switch-a', second, later(2_000), later(5_000))).toBe(true);
    await leases.release('switch-a', second);
    expect(await leases.renew('switch-a', second, later(2_500), later(5_500))).toBe(false);
  });

  it('names the owners of unfinished payments whose lease lapsed, never itself or a live one', async () => {
    await dataSource.getRepository(PaymentEntity).clear();
    await leases.register('live', T0, later(10_000));
    await leases.register('lapsed', T0, later(3_000));
    await stored({ state: 'AWAITING_ALIPAY', ownerInstance: 'live' });
    const open = await stored({ state: 'RECEIVED', ownerInstance: 'lapsed' });
    const undelivered = await stored({ state: 'APPROVED', delivery: 'pending', ownerInstance: 'lapsed' });
    await stored({ state: 'AWAITING_ALIPAY', ownerInstance: 'never-leased' });
    await stored({ state: 'AWAITING_ALIPAY', ownerInstance: 'me' });
    const legacy = await stored({ state: 'AWAITING_ALIPAY' });
    await stored({ state: 'CANCEL_REQUESTED' });

    expect((await leases.lapsedOwners('me', later(1_000))).sort()).toEqual(['never-leased']);
    expect((await leases.lapsedOwners('me', later(5_000))).sort()).toEqual(['lapsed', 'never-leased']);
    expect((await leases.unfinishedOf('lapsed')).map((p) => p.id).sort()).toEqual([open.id, undelivered.id].sort());
    // Rows from before owners were recorded: those still needing a driver (a CANCEL_REQUESTED one has its outbox row).
    expect((await leases.unfinishedOf(null)).map((p) => p.id)).toEqual([legacy.id]);
    // The metrics' view (switch_payments_of_lapsed_owners): 'lapsed' x2, 'never-leased', and 'me' (no lease row
    // here); on the embedded database, one instance without renewals, always 0.
    const state = await readQueueState(new UnitOfWork(dataSource), later(5_000));
    expect(state.paymentsOfLapsedOwners).toBe(dataSource.options.type === 'mysql' ? 4 : 0);
  });

  it('names the owners of refunds still retried whose lease lapsed, and lists only those refunds', async () => {
    await dataSource.getRepository(RefundEntity).clear();
    await dataSource.getRepository(PaymentEntity).clear();
    await leases.register('live-r', T0, later(10_000));
    await leases.register('lapsed-r', T0, later(3_000));
    await storedRefund({ state: 'PENDING', ownerInstance: 'live-r' });
    const received = await storedRefund({ state: 'RECEIVED', ownerInstance: 'lapsed-r' });
    const pending = await storedRefund({ state: 'PENDING', ownerInstance: 'lapsed-r' });
    // Given up to people: retried by hand only, so nobody takes it over.
    await storedRefund({ state: 'PENDING', manualIntervention: true, ownerInstance: 'given-up' });
    await storedRefund({ state: 'SUCCEEDED', ownerInstance: 'finished' });
    const legacy = await storedRefund({ state: 'PENDING' });
    await storedRefund({ state: 'FAILED' });

    expect(await leases.lapsedOwners('me', later(1_000))).toEqual([]);
    expect((await leases.lapsedOwners('me', later(5_000))).sort()).toEqual(['lapsed-r']);
    expect((await leases.unfinishedRefundsOf('lapsed-r')).map((r) => r.id).sort()).toEqual([received.id, pending.id].sort());
    expect((await leases.unfinishedRefundsOf('live-r')).map((r) => r.ownerInstance)).toEqual(['live-r']);
    expect((await leases.unfinishedRefundsOf(null)).map((r) => r.id)).toEqual([legacy.id]);
    // The metric counts refunds still retried by lapsed owners with the payments: the two of 'lapsed-r'.
    const state = await readQueueState(new UnitOfWork(dataSource), later(5_000));
    expect(state.paymentsOfLapsedOwners).toBe(dataSource.options.type === 'mysql' ? 2 : 0);
  });

  it('forgets only lease rows expired before the given time', async () => {
    await leases.register('old', T0, later(1_000));
    await leases.register('recent', T0, later(60_000));
    await leases.forgetExpired(later(30_000));
    const ids = await dataSource.query<Array<{ instance_id: string }>>('SELECT `instance_id` FROM `instance_leases`');
    expect(ids.map((r) => r.instance_id)).toContain('recent');
    expect(ids.map((r) => r.instance_id)).not.toContain('old');
  });
});
