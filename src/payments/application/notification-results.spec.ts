import { createTestEngine, outcomes, type TestEngine } from '../testing';

describe('NotificationResults', () => {
  let t: TestEngine;

  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2025-01-15T10:00:00.000Z'),
      doNotFake: ['nextTick', 'queueMicrotask'],
    });
    t = createTestEngine();
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  it('answers a waiting terminal as soon as the notification arrives', async () => {
    t.channel.script('pay', outcomes.processing());
    const answer = t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(1_000);
    const payment = [...t.db.paymentRows.values()][0];
    const result = await t.engine.notifications.record({
      paymentRequestId: payment.paymentRequestId,
      status: 'success',
      amount: { amountMinor: 1000, currency: 'USD' },
      alipayTransactionId: 'ALI-N',
    });
    expect(result).toBe('applied');
    expect((await answer).outcome).toMatchObject({
      kind: 'approved',
      receipt: { alipayTransactionId: 'ALI-N' },
    });
    expect(
      await t.engine.notifications.record({ paymentRequestId: payment.paymentRequestId, status: 'success' }),
    ).toBe('ignored');
  });

  it('ignores a notification whose amount or currency differ, and unknown payments', async () => {
    t.channel.script('pay', outcomes.processing());
    void t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(1_000);
    const payment = [...t.db.paymentRows.values()][0];
    const notify = (amountMinor: number, currency: string) =>
      t.engine.notifications.record({
        paymentRequestId: payment.paymentRequestId,
        status: 'success',
        amount: { amountMinor, currency },
      });
    expect(await notify(999, 'USD')).toBe('amount-mismatch');
    expect(await notify(1000, 'JPY')).toBe('amount-mismatch');
    expect(t.db.payment(payment.id)!.state).toBe('AWAITING_ALIPAY');
    expect(await t.engine.notifications.record({ paymentRequestId: 'nope', status: 'success' })).toBe(
      'unknown-payment',
    );
  });

  // What the notification intake (src/notifications) relies on: settle, with the sender's merchants.
  async function waitingPayment(): Promise<{ answer: ReturnType<typeof t.engine.purchase.purchase>; id: string; requestId: string }> {
    t.channel.script('pay', outcomes.processing());
    const answer = t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(500);
    const payment = [...t.db.paymentRows.values()][0];
    return { answer, id: payment.id, requestId: payment.paymentRequestId };
  }

  it('settle: declines a payment in doubt on a failure, and the waiting terminal hears it at once', async () => {
    const { answer, id, requestId } = await waitingPayment();
    const settled = await t.engine.notifications.settle(
      { paymentRequestId: requestId, status: 'failure', amount: { amountMinor: 1000, currency: 'USD' } },
      { channel: 'ams', merchantIds: ['M00000000000001'] },
    );
    expect(settled).toEqual({ outcome: 'applied', paymentId: id, state: 'DECLINED' });
    expect((await answer).outcome.kind).not.toBe('approved');
  });

  it('settle: refuses a sender that does not own the payment, whatever it says, and changes nothing', async () => {
    const { id, requestId } = await waitingPayment();
    for (const sender of [
      { channel: 'ams' as const, merchantIds: ['SOMEONE-ELSE'] },
      { channel: 'openapi' as const, merchantIds: ['M00000000000001'] },
    ]) {
      const settled = await t.engine.notifications.settle(
        { paymentRequestId: requestId, status: 'success', amount: { amountMinor: 1000, currency: 'USD' } },
        sender,
      );
      expect(settled.outcome).toBe('merchant-mismatch');
    }
    expect(t.db.payment(id)!.state).toBe('AWAITING_ALIPAY');
  });
});
