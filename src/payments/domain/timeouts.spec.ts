import { aPayment } from '../testing/fixtures';
import { isPastGatewayDeadline, mayAnswerApproval, mustCancelAtGatewayTimeout } from './timeouts';

describe('timeouts', () => {
  it.each([
    ['RECEIVED', 'pending', true],
    ['AWAITING_ALIPAY', 'pending', true],
    // Delivery unknown (written, not yet recorded, or the process died in between): counts as delivered.
    ['APPROVED', 'pending', false],
    ['APPROVED', 'undelivered', true],
    ['APPROVED', 'delivered', false],
    ['DECLINED', 'pending', false],
    ['CANCEL_REQUESTED', 'pending', false],
    ['CANCELLED', 'pending', false],
  ] as const)('gateway timeout cancels %s with delivery %s: %s', (state, delivery, expected) => {
    expect(mustCancelAtGatewayTimeout(aPayment({ state, delivery }))).toBe(expected);
  });

  it('knows when the gateway deadline has passed', () => {
    const p = aPayment();
    expect(isPastGatewayDeadline(p, new Date(p.gatewayDeadlineAt.getTime() - 1))).toBe(false);
    expect(isPastGatewayDeadline(p, p.gatewayDeadlineAt)).toBe(true);
  });

  it('answers an approval only if its delivery settles before the gateway deadline', () => {
    const p = aPayment({ state: 'APPROVED' });
    expect(mayAnswerApproval(p, p.gatewayDeadlineAt.getTime() - 1)).toBe(true);
    expect(mayAnswerApproval(p, p.gatewayDeadlineAt.getTime())).toBe(false);
  });
});
