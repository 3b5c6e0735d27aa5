import type { ChannelOutcome } from '@switch/alipay';
import { eventFromInquiry, eventFromPay } from './channel-events';

const failure = (reason: string): ChannelOutcome =>
  ({ kind: 'failure', reason, code: 'X', raw: { api: 'inquiry', requestId: 'r', latencyMs: 1 } }) as ChannelOutcome;
const approvalCode = () => '123456';

describe('channel events', () => {
  it.each(['invalid-request', 'merchant-not-permitted', 'not-found'])(
    'keeps a payment in doubt when its inquiry is answered %s: that says nothing about the payment',
    (reason) => {
      expect(eventFromInquiry(failure(reason), approvalCode)).toEqual({ type: 'alipay-in-doubt' });
    },
  );

  it.each(['closed', 'declined', 'insufficient-balance', 'expired-code'])(
    'declines a payment whose inquiry reports it %s',
    (reason) => {
      expect(eventFromInquiry(failure(reason), approvalCode)).toMatchObject({ type: 'alipay-declined', reason });
    },
  );

  it('declines on a pay call refused for the merchant (nothing was taken)', () => {
    expect(eventFromPay(failure('merchant-not-permitted'), approvalCode)).toMatchObject({
      type: 'alipay-declined',
      reason: 'merchant-not-permitted',
    });
  });
});
