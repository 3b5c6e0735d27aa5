import { aPayment } from '../testing/fixtures';
import { checkRefund, refundableMinor, releaseRefund, reserveRefund, settleRefund } from './refund-ledger';

const at = new Date('2025-01-15T10:10:00.000Z');
const paid = aPayment({ state: 'APPROVED', delivery: 'delivered', amountMinor: 1000 });

describe('refund ledger', () => {
  it('allows refunds up to what is neither refunded nor reserved', () => {
    const p = { ...paid, refundedMinor: 300, reservedRefundMinor: 200 };
    expect(refundableMinor(p)).toBe(500);
    expect(checkRefund(p, 500, '840')).toBeUndefined();
    expect(checkRefund(p, 501, '840')).toBe('amount-exceeded');
  });

  it.each([
    ['an undelivered approval', { delivery: 'undelivered' as const }],
    ['a declined payment', { state: 'DECLINED' as const }],
    ['a cancelled payment', { state: 'CANCELLED' as const }],
    ['a payment being cancelled', { state: 'CANCEL_REQUESTED' as const }],
  ])('refuses %s', (_name, change) => {
    expect(checkRefund({ ...paid, ...change }, 100, '840')).toBe('not-refundable');
  });

  it('refunds an approval whose delivery is not recorded yet: it counts as delivered', () => {
    expect(checkRefund({ ...paid, delivery: 'pending' }, 100, '840')).toBeUndefined();
  });

  it('refuses another currency and non-positive amounts', () => {
    expect(checkRefund(paid, 100, '392')).toBe('currency');
    expect(checkRefund(paid, 0, '840')).toBe('amount');
    expect(checkRefund(paid, 1.5, '840')).toBe('amount');
  });

  it('moves a reservation to refunded on settle, and back to refundable on release', () => {
    const reserved = reserveRefund(paid, 400, at);
    expect(reserved).toMatchObject({ reservedRefundMinor: 400, refundedMinor: 0, updatedAt: at });
    expect(settleRefund(reserved, 400, at)).toMatchObject({ reservedRefundMinor: 0, refundedMinor: 400 });
    expect(refundableMinor(releaseRefund(reserved, 400, at))).toBe(1000);
  });
});
