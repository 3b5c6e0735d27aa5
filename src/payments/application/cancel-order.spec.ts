import { aPayment } from '../testing';
import { cancelOrderFor, readCancelOrder } from './cancel-order';

describe('the cancel order contract', () => {
  const payment = aPayment({ id: 'p1', state: 'CANCEL_REQUESTED', alipayTransactionId: 'ALI-1' });
  const at = new Date('2025-01-15T10:01:15.000Z');

  it('names the payment, its merchant and why: nothing the worker reads from the stored payment', () => {
    const message = cancelOrderFor(payment, 'gateway-timeout', at);
    expect(message).toEqual({
      kind: 'CANCEL',
      key: payment.paymentRequestId,
      payload: {
        paymentId: 'p1',
        paymentRequestId: payment.paymentRequestId,
        merchantId: payment.merchantId,
        reason: 'gateway-timeout',
        requestedAt: '2025-01-15T10:01:15.000Z',
      },
    });
    expect(readCancelOrder(JSON.stringify(message.payload), message.key)).toEqual({
      ok: true,
      order: message.payload,
    });
  });

  it('reads an order an earlier version wrote, with more fields, as the same contract', () => {
    const { payload, key } = cancelOrderFor(payment, 'terminal-reversal', at);
    const older = {
      ...payload,
      terminalId: 'TERM0001',
      channel: 'ams',
      amountMinor: 1000,
      currencyNumeric: '840',
    };
    expect(readCancelOrder(JSON.stringify(older), key)).toEqual({ ok: true, order: payload });
  });

  it.each<[string, string, string]>([
    ['not JSON', 'nope', 'payload is not JSON'],
    ['an array', '[]', 'payload is not a JSON object'],
    [
      'missing fields',
      '{"paymentRequestId":"K"}',
      'payload lacks paymentId, merchantId, reason, requestedAt',
    ],
  ])('refuses %s', (_name, text, problem) => {
    expect(readCancelOrder(text, 'K')).toEqual({ ok: false, problem });
  });

  it('refuses an order whose payment is not the one its key names', () => {
    const { payload } = cancelOrderFor(payment, 'operator', at);
    expect(readCancelOrder(JSON.stringify(payload), 'OTHER')).toEqual({
      ok: false,
      problem: 'payload paymentRequestId differs from the message key',
    });
  });
});
