import { IllegalTransitionError, VersionConflictError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import { aPayment, InMemoryPaymentsDb } from '../testing';
import { FinalStateWaiters } from './final-state-waiters';
import { PaymentTransitions } from './payment-transitions';
import { systemClock, TimeoutScheduler } from './system-time';

describe('PaymentTransitions', () => {
  let db: InMemoryPaymentsDb;
  let transitions: PaymentTransitions;
  let published: Payment[];

  beforeEach(() => {
    db = new InMemoryPaymentsDb();
    const watch = new FinalStateWaiters<Payment>(new TimeoutScheduler());
    published = [];
    jest.spyOn(watch, 'publish').mockImplementation((p) => void published.push(p));
    transitions = new PaymentTransitions(db.payments, systemClock, watch);
    db.paymentRows.set('p', aPayment({ id: 'p', state: 'AWAITING_ALIPAY' }));
  });

  it('stores the change with a version bump, a history line and the publication', async () => {
    const applied = await transitions.apply('p', { type: 'alipay-approved', approvalCode: '111111' });
    expect(applied.kind).toBe('changed');
    expect(db.payment('p')).toMatchObject({ state: 'APPROVED', version: 2 });
    expect(db.historyOf('p')).toEqual([
      expect.objectContaining({ type: 'STATE_CHANGED', fromState: 'AWAITING_ALIPAY', toState: 'APPROVED' }),
    ]);
    expect(published.map((p) => p.version)).toEqual([2]);
  });

  it('writes the cancel order in the same update as CANCEL_REQUESTED, once', async () => {
    await transitions.apply('p', { type: 'cancel-requested', reason: 'operator' });
    await transitions.apply('p', { type: 'cancel-requested', reason: 'gateway-timeout' });
    expect(db.outbox).toHaveLength(1);
    expect(db.outbox[0]).toMatchObject({
      kind: 'CANCEL',
      key: aPayment().paymentRequestId,
      payload: { reason: 'operator', paymentId: 'p' },
    });
  });

  it('a success racing a cancel: both land, the cancel wins whichever order they are stored in', async () => {
    for (let round = 0; round < 20; round++) {
      db.paymentRows.set('p', aPayment({ id: 'p', state: 'AWAITING_ALIPAY' }));
      db.outbox.length = 0;
      const moves = [
        () => transitions.apply('p', { type: 'alipay-approved', approvalCode: '222222' }),
        () => transitions.apply('p', { type: 'cancel-requested', reason: 'gateway-timeout' }),
      ];
      if (round % 2) moves.reverse();
      await Promise.all(moves.map((m) => m()));
      expect(db.payment('p')!.state).toBe('CANCEL_REQUESTED');
      expect(db.outbox).toHaveLength(1);
    }
  });

  it('re-applies on a version conflict instead of overwriting', async () => {
    const realUpdate = db.payments.update;
    let conflicts = 1;
    db.payments.update = async (...args) => {
      if (conflicts-- > 0) {
        // Someone else stores a cancel between our read and our write.
        const current = db.payment('p')!;
        db.paymentRows.set('p', { ...current, state: 'CANCEL_REQUESTED', version: current.version + 1 });
        throw new VersionConflictError('payment', 'p', args[1]);
      }
      return realUpdate(...args);
    };
    const applied = await transitions.apply('p', { type: 'alipay-approved', approvalCode: '333333' });
    expect(applied.kind).toBe('ignored');
    expect(db.payment('p')!.state).toBe('CANCEL_REQUESTED');
    expect(db.historyOf('p').at(-1)!.detail).toContain('cancel stands');
  });

  it('tells the cancel observer once per committed decision, not per attempt', async () => {
    const decided: string[] = [];
    const observed = new PaymentTransitions(
      db.payments,
      systemClock,
      new FinalStateWaiters<Payment>(new TimeoutScheduler()),
      {
        decided: (payment, reason) => void decided.push(`${payment.id}:${reason}:${payment.state}`),
      },
    );
    const realUpdate = db.payments.update;
    let conflicts = 1;
    db.payments.update = async (...args) => {
      if (conflicts-- > 0) {
        // An inquiry's note lands between our read and our write: the cancel is re-applied to the fresh row.
        const current = db.payment('p')!;
        db.paymentRows.set('p', { ...current, version: current.version + 1 });
        throw new VersionConflictError('payment', 'p', args[1]);
      }
      return realUpdate(...args);
    };
    await observed.apply('p', { type: 'cancel-requested', reason: 'terminal-reversal' });
    await observed.apply('p', { type: 'cancel-requested', reason: 'gateway-timeout' });
    expect(decided).toEqual(['p:terminal-reversal:CANCEL_REQUESTED']);
    expect(db.outbox).toHaveLength(1);
  });

  it('records ignored news as a note but keeps "still in doubt" to the call line alone', async () => {
    await transitions.apply('p', { type: 'alipay-in-doubt' });
    expect(db.payment('p')!.version).toBe(1);
    await transitions.apply('p', { type: 'alipay-in-doubt' }, [
      { paymentId: 'p', at: new Date(), type: 'ALIPAY_CALL', api: 'inquire' },
    ]);
    expect(db.historyOf('p').map((e) => e.type)).toEqual(['ALIPAY_CALL']);
  });

  it('rejects impossible events', async () => {
    await expect(transitions.apply('p', { type: 'cancel-confirmed' })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    expect(db.payment('p')!.version).toBe(1);
  });
});
