import { aRefund } from '../testing/fixtures';
import { refundTransition, type RefundEventInput } from './refund-state';

const at = new Date('2025-01-15T10:10:00.000Z');
const refunded: RefundEventInput = { type: 'alipay-refunded', alipayRefundId: 'R-1', approvalCode: '654321' };
const declined: RefundEventInput = {
  type: 'alipay-refund-declined',
  reason: 'refund-window-exceeded',
  code: 'REFUND_WINDOW_EXCEED',
};
const inDoubt: RefundEventInput = { type: 'alipay-refund-in-doubt' };

describe('refund state machine', () => {
  it('settles the reservation on success and counts the call', () => {
    const r = refundTransition(aRefund({ state: 'PENDING', attempts: 2 }), refunded, at);
    expect(r.kind === 'changed' && r).toMatchObject({
      ledger: 'settle',
      refund: { state: 'SUCCEEDED', attempts: 3, approvalCode: '654321' },
    });
  });

  it('releases the reservation on a definite failure', () => {
    const r = refundTransition(aRefund(), declined, at);
    expect(r.kind === 'changed' && r).toMatchObject({
      ledger: 'release',
      refund: { state: 'FAILED', failureReason: 'refund-window-exceeded' },
    });
  });

  it('stays pending, keeping the reservation, while the outcome is unknown', () => {
    const r = refundTransition(aRefund(), inDoubt, at);
    expect(r.kind === 'changed' && r).toMatchObject({
      ledger: 'none',
      refund: { state: 'PENDING', attempts: 1 },
    });
    const again = refundTransition(aRefund({ state: 'PENDING', attempts: 1 }), inDoubt, at);
    expect(again.kind === 'changed' && again.refund.attempts).toBe(2);
  });

  it('flags manual intervention when retries run out, without touching the ledger', () => {
    const r = refundTransition(aRefund({ state: 'PENDING' }), { type: 'retries-exhausted' }, at);
    expect(r.kind === 'changed' && r).toMatchObject({
      ledger: 'none',
      refund: { state: 'PENDING', manualIntervention: true },
    });
  });

  it('ignores news after a final state and records delivery of a success', () => {
    expect(refundTransition(aRefund({ state: 'FAILED' }), refunded, at).kind).toBe('ignored');
    expect(refundTransition(aRefund({ state: 'SUCCEEDED' }), declined, at).kind).toBe('ignored');
    const d = refundTransition(
      aRefund({ state: 'SUCCEEDED' }),
      { type: 'approval-delivery', delivered: true },
      at,
    );
    expect(d.kind === 'changed' && d.refund.delivery).toBe('delivered');
    expect(refundTransition(aRefund(), { type: 'approval-delivery', delivered: true }, at).kind).toBe(
      'rejected',
    );
  });
});
