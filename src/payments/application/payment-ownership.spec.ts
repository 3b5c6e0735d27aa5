/**
 * Fencing at the engine: once another instance owns a payment (a takeover bumped its version and named
 * itself), the old owner's own decisions are refused and its timers for the payment stop, while events any
 * instance may apply still go through the state machine. A refund's old owner stops retrying it.
 */
import { NotOwnerError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import { aPayment } from '../testing/fixtures';
import { InMemoryPaymentsDb } from '../testing/in-memory-payments-db';
import { createTestEngine } from '../testing/test-engine';
import { outcomes } from '../testing';
import { FinalStateWaiters } from './final-state-waiters';
import { PaymentOwnership } from './payment-ownership';
import { PaymentTransitions } from './payment-transitions';
import type { InstanceLeases } from './ports/instance-leases.port';
import { silentLog } from './ports/log.port';
import { systemClock, TimeoutScheduler } from './system-time';

describe('payment ownership at the engine', () => {
  const takeOver = async (payments: { update(p: Payment, v: number, e: []): Promise<void> }, p: Payment, by: string) => {
    const next = { ...p, ownerInstance: by, version: p.version + 1 };
    await payments.update(next, p.version, []);
    return next;
  };

  const transitionsOf = (db: InMemoryPaymentsDb, instanceId: string) =>
    new PaymentTransitions(db.payments, systemClock, new FinalStateWaiters<Payment>(new TimeoutScheduler()), undefined, instanceId);

  it("refuses the old owner's own decision once another instance took the payment over", async () => {
    const t = { db: new InMemoryPaymentsDb() };
    const transitions = transitionsOf(t.db, 'a');
    const payment = aPayment({ id: 'p1', state: 'AWAITING_ALIPAY', ownerInstance: 'a', delivery: 'undelivered' });
    await t.db.payments.insert(payment, []);
    await takeOver(t.db.payments, payment, 'b');

    const refused = await transitions
      .applyAsOwner('p1', { type: 'cancel-requested', reason: 'gateway-timeout' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotOwnerError);
    expect(refused).toMatchObject({ owner: 'b' });
    expect((await t.db.payments.findById('p1'))?.state).toBe('AWAITING_ALIPAY');

    // A reversal may be decided at any instance.
    const applied = await transitions.apply('p1', { type: 'cancel-requested', reason: 'terminal-reversal' });
    expect(applied.payment.state).toBe('CANCEL_REQUESTED');
    expect(applied.payment.ownerInstance).toBe('b');
  });

  it("stops the old owner's timers when they fire on a payment another instance drives", async () => {
    jest.useFakeTimers({ now: new Date('2025-01-15T10:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask'] });
    try {
      const t = createTestEngine({ config: { instanceId: 'a' } });
      const now = Date.now();
      const payment = aPayment({
        id: 'p2',
        state: 'AWAITING_ALIPAY',
        ownerInstance: 'a',
        createdAt: new Date(now),
        gatewayDeadlineAt: new Date(now + 75_000),
      });
      await t.db.payments.insert(payment, []);
      t.engine.timers.armGatewayTimeout(payment);
      t.engine.timers.continueInquiries(payment);
      expect(t.engine.timers.isArmed('p2')).toBe(true);
      await takeOver(t.db.payments, payment, 'b');

      await jest.advanceTimersByTimeAsync(10_000); // the next inquiry falls due
      expect(t.engine.timers.isArmed('p2')).toBe(false);
      expect(t.channel.callsOf('inquire')).toHaveLength(0);
      const after = await t.db.payments.findById('p2');
      expect(after).toMatchObject({ state: 'AWAITING_ALIPAY', ownerInstance: 'b', version: 2 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('clears the owner in the write that makes a payment final', async () => {
    const t = { db: new InMemoryPaymentsDb() };
    await t.db.payments.insert(aPayment({ id: 'p3', state: 'AWAITING_ALIPAY', ownerInstance: 'a' }), []);
    const applied = await transitionsOf(t.db, 'a').apply('p3', { type: 'alipay-declined', reason: 'declined', code: 'X' });
    expect(applied.payment.state).toBe('DECLINED');
    expect(applied.payment.ownerInstance).toBeUndefined();
    expect((await t.db.payments.findById('p3'))?.ownerInstance).toBeUndefined();
  });

  it('stops retrying a refund another instance took over, and the owner goes once the refund is final', async () => {
    jest.useFakeTimers({ now: new Date('2025-01-15T10:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask'] });
    const t = createTestEngine({ config: { instanceId: 'a', refundRetryIntervalMs: 7_500, refundRetryWindowMs: 600_000 } });
    try {
      const payment = await t.approvedPayment();
      t.channel.otherwise('refund', outcomes.unknown('timeout'));
      const answer = t.engine.refund.refund(t.refund({ kind: 'rrn', rrn: payment.rrn }, { amountMinor: 300 }));
      await jest.advanceTimersByTimeAsync(61_000); // past the terminal's deadline; the retry stays armed
      expect((await answer).outcome.kind).toBe('in-doubt');
      const refund = [...t.db.refundRows.values()][0];
      expect(refund).toMatchObject({ state: 'PENDING', ownerInstance: 'a' });
      expect(t.engine.refundAttempts.pending()).toBe(1);
      const callsBefore = t.channel.callsOf('refund').length;

      await t.db.refunds.update({ ...refund, ownerInstance: 'b', version: refund.version + 1 }, refund.version, []);
      await jest.advanceTimersByTimeAsync(8_000); // the next retry falls due at A
      expect(t.channel.callsOf('refund')).toHaveLength(callsBefore);
      expect(t.engine.refundAttempts.pending()).toBe(0);

      // B's retry (same engine code, B's id) succeeds: final, and nobody owns it any more.
      const b = createTestEngine({ db: t.db, channel: t.channel, config: { instanceId: 'b' } });
      t.channel.script('refund', outcomes.success('ALIPAY-RF-1'));
      const done = await b.engine.refundAttempts.attempt(refund.id);
      expect(done).toMatchObject({ state: 'SUCCEEDED' });
      expect(done?.ownerInstance).toBeUndefined();
      expect(t.db.refundRows.get(refund.id)?.ownerInstance).toBeUndefined();
      b.engine.dispose();
    } finally {
      t.engine.dispose();
      jest.useRealTimers();
    }
  });

  it("resumes at start only what its own INSTANCE_ID left before this process took its lease, not a purchase it is paying now", async () => {
    const db = new InMemoryPaymentsDb();
    let now = new Date('2025-01-15T10:00:00Z');
    const leftBehind = aPayment({ id: 'old', state: 'AWAITING_ALIPAY', ownerInstance: 'a', createdAt: new Date('2025-01-15T09:59:00Z') });
    const payingNow = aPayment({ id: 'new', state: 'AWAITING_ALIPAY', ownerInstance: 'a', createdAt: new Date('2025-01-15T10:00:01Z') });
    const leases: InstanceLeases = {
      register: () => Promise.resolve(1),
      renew: () => Promise.resolve(true),
      release: () => Promise.resolve(),
      lapsedOwners: () => Promise.resolve([]),
      unfinishedOf: (owner) => Promise.resolve(owner === 'a' ? [leftBehind, payingNow] : []),
      unfinishedRefundsOf: () => Promise.resolve([]),
      forgetExpired: () => Promise.resolve(),
    };
    const ownership = new PaymentOwnership(leases, db.payments, db.refunds, new TimeoutScheduler(), { now: () => now }, { instanceId: 'a', leaseMs: 15_000 }, silentLog);
    await ownership.register();
    now = new Date('2025-01-15T10:00:02Z'); // resuming is detached: terminals are served meanwhile
    expect((await ownership.leftoversAtStart()).payments.map((p) => p.id)).toEqual(['old']);
  });
});
