/**
 * Fencing at the engine: once another instance owns a payment (a takeover bumped its version and named
 * itself), the old owner's own decisions are refused and its timers for the payment stop, while events any
 * instance may apply still go through the state machine.
 */
import { NotOwnerError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import { aPayment } from '../testing/fixtures';
import { InMemoryPaymentsDb } from '../testing/in-memory-payments-db';
import { createTestEngine } from '../testing/test-engine';
import { FinalStateWaiters } from './final-state-waiters';
import { PaymentTransitions } from './payment-transitions';
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
});
