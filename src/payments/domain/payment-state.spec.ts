import fc from 'fast-check';
import { aPayment } from '../testing/fixtures';
import { PAYMENT_STATES, type Payment, type PaymentState } from './payment';
import { transition, type PaymentEventInput } from './payment-state';

const at = new Date('2025-01-15T10:00:05.000Z');
const approved: PaymentEventInput = {
  type: 'alipay-approved',
  alipayTransactionId: 'ALI-1',
  approvalCode: '123456',
};
const declined: PaymentEventInput = {
  type: 'alipay-declined',
  reason: 'insufficient-balance',
  code: 'USER_BALANCE_NOT_ENOUGH',
};
const inDoubt: PaymentEventInput = { type: 'alipay-in-doubt' };
const delivered: PaymentEventInput = { type: 'approval-delivery', delivered: true };
const notDelivered: PaymentEventInput = { type: 'approval-delivery', delivered: false };
const cancel: PaymentEventInput = { type: 'cancel-requested', reason: 'terminal-reversal' };
const gatewayTimeout: PaymentEventInput = { type: 'cancel-requested', reason: 'gateway-timeout' };
const confirmed: PaymentEventInput = { type: 'cancel-confirmed' };
const gaveUp: PaymentEventInput = { type: 'cancel-gave-up' };
const reversedEarly: PaymentEventInput = { type: 'reversed-before-arrival' };
const ALL_EVENTS = [
  approved,
  gatewayTimeout,
  declined,
  inDoubt,
  delivered,
  notDelivered,
  cancel,
  confirmed,
  gaveUp,
  reversedEarly,
];

function inState(state: PaymentState, overrides: Partial<Payment> = {}): Payment {
  return aPayment({ state, ...overrides });
}

/** state, event -> expected result kind and next state ('-' when not changed). */
const TABLE: [PaymentState, PaymentEventInput, 'changed' | 'ignored' | 'rejected', PaymentState | '-'][] = [
  ['RECEIVED', approved, 'changed', 'APPROVED'],
  ['RECEIVED', declined, 'changed', 'DECLINED'],
  ['RECEIVED', inDoubt, 'changed', 'AWAITING_ALIPAY'],
  ['RECEIVED', delivered, 'rejected', '-'],
  ['RECEIVED', cancel, 'changed', 'CANCEL_REQUESTED'],
  ['RECEIVED', confirmed, 'rejected', '-'],
  ['RECEIVED', gaveUp, 'rejected', '-'],
  ['RECEIVED', reversedEarly, 'changed', 'DECLINED'],
  ['AWAITING_ALIPAY', reversedEarly, 'rejected', '-'],
  ['AWAITING_ALIPAY', approved, 'changed', 'APPROVED'],
  ['AWAITING_ALIPAY', declined, 'changed', 'DECLINED'],
  ['AWAITING_ALIPAY', inDoubt, 'ignored', '-'],
  ['AWAITING_ALIPAY', notDelivered, 'rejected', '-'],
  ['AWAITING_ALIPAY', cancel, 'changed', 'CANCEL_REQUESTED'],
  ['AWAITING_ALIPAY', confirmed, 'rejected', '-'],
  ['APPROVED', approved, 'ignored', '-'],
  ['APPROVED', declined, 'ignored', '-'],
  ['APPROVED', inDoubt, 'ignored', '-'],
  ['APPROVED', delivered, 'changed', 'APPROVED'],
  ['APPROVED', notDelivered, 'changed', 'APPROVED'],
  ['APPROVED', cancel, 'changed', 'CANCEL_REQUESTED'],
  ['APPROVED', confirmed, 'rejected', '-'],
  ['APPROVED', gaveUp, 'rejected', '-'],
  ['APPROVED', reversedEarly, 'rejected', '-'],
  ['DECLINED', reversedEarly, 'ignored', '-'],
  ['CANCEL_REQUESTED', reversedEarly, 'ignored', '-'],
  ['DECLINED', approved, 'changed', 'CANCEL_REQUESTED'],
  ['DECLINED', declined, 'ignored', '-'],
  ['DECLINED', inDoubt, 'ignored', '-'],
  ['DECLINED', delivered, 'ignored', '-'],
  ['DECLINED', cancel, 'ignored', '-'],
  ['DECLINED', confirmed, 'rejected', '-'],
  ['CANCEL_REQUESTED', approved, 'ignored', '-'],
  ['CANCEL_REQUESTED', declined, 'ignored', '-'],
  ['CANCEL_REQUESTED', inDoubt, 'ignored', '-'],
  ['CANCEL_REQUESTED', delivered, 'ignored', '-'],
  ['CANCEL_REQUESTED', cancel, 'ignored', '-'],
  ['CANCEL_REQUESTED', confirmed, 'changed', 'CANCELLED'],
  ['CANCEL_REQUESTED', gaveUp, 'changed', 'CANCEL_REQUESTED'],
  // Alipay holds money after the cancel was confirmed: the cancel is ordered again.
  ['CANCELLED', approved, 'changed', 'CANCEL_REQUESTED'],
  ...ALL_EVENTS.filter((e) => e !== approved).map((e): [PaymentState, PaymentEventInput, 'ignored', '-'] => [
    'CANCELLED',
    e,
    'ignored',
    '-',
  ]),
];

describe('payment state machine', () => {
  const label = (e: PaymentEventInput) =>
    e.type === 'approval-delivery' ? `${e.type}(${e.delivered})` : e.type;
  it.each(TABLE.map(([s, e, k, n]) => [s, label(e), e, k, n] as const))(
    '%s + %s -> %s %s',
    (state, _label, event, kind, next) => {
      const result = transition(inState(state), event, at);
      expect(result.kind).toBe(kind);
      if (result.kind === 'changed') {
        expect(result.payment.state).toBe(next);
        expect(result.payment.updatedAt).toBe(at);
        expect(result.payment.version).toBe(1); // the caller bumps it when storing
      }
    },
  );

  it('covers every state', () => {
    expect(new Set(TABLE.map(([state]) => state))).toEqual(new Set(PAYMENT_STATES));
  });

  it('records what Alipay said on approval and decline', () => {
    const ok = transition(inState('AWAITING_ALIPAY'), approved, at);
    expect(ok.kind === 'changed' && ok.payment).toMatchObject({
      alipayTransactionId: 'ALI-1',
      approvalCode: '123456',
    });
    const no = transition(inState('RECEIVED'), declined, at);
    expect(no.kind === 'changed' && no.payment).toMatchObject({
      failureReason: 'insufficient-balance',
      failureCode: 'USER_BALANCE_NOT_ENOUGH',
    });
  });

  it('asks for a cancel order whenever it enters CANCEL_REQUESTED', () => {
    for (const state of ['RECEIVED', 'AWAITING_ALIPAY', 'APPROVED'] as const) {
      const result = transition(
        inState(state),
        { type: 'cancel-requested', reason: 'terminal-reversal' },
        at,
      );
      expect(result.kind === 'changed' && result.effects).toContainEqual({
        kind: 'enqueue-cancel',
        reason: 'terminal-reversal',
      });
      expect(result.kind === 'changed' && result.payment.cancelReason).toBe('terminal-reversal');
    }
  });

  it('refuses a purchase whose reversal arrived first, naming why', () => {
    const result = transition(inState('RECEIVED'), reversedEarly, at);
    expect(result.kind === 'changed' && result.payment).toMatchObject({
      state: 'DECLINED',
      failureReason: 'declined',
      failureCode: 'REVERSED_BEFORE_ARRIVAL',
    });
  });

  it('cancels a declined payment that Alipay later reports as paid', () => {
    const result = transition(inState('DECLINED'), approved, at);
    expect(result.kind === 'changed' && result.effects).toContainEqual({
      kind: 'enqueue-cancel',
      reason: 'late-approval',
    });
  });

  it('tracks approval delivery: a later failed repeat does not undo a delivered approval', () => {
    const delivery = (p: Payment, e: PaymentEventInput) => {
      const r = transition(p, e, at);
      return r.kind === 'changed' ? r.payment : p;
    };
    const once = delivery(inState('APPROVED'), delivered);
    expect(once.delivery).toBe('delivered');
    expect(delivery(once, notDelivered).delivery).toBe('delivered');
    const lost = delivery(inState('APPROVED'), notDelivered);
    expect(lost.delivery).toBe('undelivered');
    expect(delivery(lost, delivered).delivery).toBe('delivered');
  });

  it('flags manual intervention when the cancel policy runs out, and clears it on confirmation', () => {
    const r1 = transition(inState('CANCEL_REQUESTED'), gaveUp, at);
    expect(r1.kind === 'changed' && r1.payment.manualIntervention).toBe(true);
    const r2 = transition(inState('CANCEL_REQUESTED', { manualIntervention: true }), confirmed, at);
    expect(r2.kind === 'changed' && r2.payment).toMatchObject({
      state: 'CANCELLED',
      manualIntervention: false,
    });
  });

  it('orders a new cancel when Alipay reports success after CANCELLED, keeping the first reason', () => {
    const result = transition(inState('CANCELLED', { cancelReason: 'terminal-reversal' }), approved, at);
    expect(result).toMatchObject({
      kind: 'changed',
      payment: { state: 'CANCEL_REQUESTED', cancelReason: 'terminal-reversal' },
      effects: [{ kind: 'enqueue-cancel', reason: 'late-approval' }],
    });
    const again = transition((result as { payment: Payment }).payment, confirmed, at);
    expect(again.kind === 'changed' && again.payment.state).toBe('CANCELLED');
  });

  it.each([
    ['pending', 'changed'],
    ['delivered', 'ignored'],
    ['undelivered', 'changed'],
  ] as const)('at the gateway timeout, an approval whose delivery is %s: %s', (delivery, kind) => {
    const result = transition(inState('APPROVED', { delivery }), gatewayTimeout, at);
    expect(result.kind).toBe(kind);
    if (result.kind === 'changed') expect(result.payment.state).toBe('CANCEL_REQUESTED');
  });

  it('cancels an unanswered payment at the gateway timeout whatever its delivery', () => {
    for (const state of ['RECEIVED', 'AWAITING_ALIPAY'] as const) {
      const result = transition(inState(state), gatewayTimeout, at);
      expect(result.kind === 'changed' && result.payment.state).toBe('CANCEL_REQUESTED');
    }
  });

  it('never leaves the cancel path once a cancel is decided, whatever arrives later', () => {
    const events = fc.constantFrom(...ALL_EVENTS);
    fc.assert(
      fc.property(
        fc.constantFrom<PaymentState>('RECEIVED', 'AWAITING_ALIPAY', 'APPROVED'),
        fc.array(events, { maxLength: 30 }),
        (start, later) => {
          let payment = inState(start);
          const first = transition(payment, cancel, at);
          if (first.kind !== 'changed') return false;
          payment = first.payment;
          for (const event of later) {
            const result = transition(payment, event, at);
            if (result.kind === 'changed') payment = result.payment;
            if (payment.state !== 'CANCEL_REQUESTED' && payment.state !== 'CANCELLED') return false;
          }
          return true;
        },
      ),
    );
  });
});
