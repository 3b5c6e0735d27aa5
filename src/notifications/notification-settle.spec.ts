import { createTestEngine, outcomes, type TestEngine } from '../payments/testing';

// What the notification intake relies on from the engine: engine.notifications.settle.
describe('settling a payment from a notification', () => {
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

  async function waiting(): Promise<{
    answer: ReturnType<TestEngine['engine']['purchase']['purchase']>;
    requestId: string;
    id: string;
  }> {
    t.channel.script('pay', outcomes.processing());
    const answer = t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(500);
    const payment = [...t.db.paymentRows.values()][0];
    return { answer, requestId: payment.paymentRequestId, id: payment.id };
  }

  it('declines a payment in doubt on a failure, and the waiting terminal hears it at once', async () => {
    const { answer, requestId, id } = await waiting();
    const settled = await t.engine.notifications.settle(
      { paymentRequestId: requestId, status: 'failure', amount: { amountMinor: 1000, currency: 'USD' } },
      { channel: 'ams', merchantIds: ['M00000000000001'] },
    );
    expect(settled).toEqual({ outcome: 'applied', paymentId: id, state: 'DECLINED' });
    expect((await answer).outcome.kind).not.toBe('approved');
  });

  it('refuses a sender that does not own the payment, whatever it says, and changes nothing', async () => {
    const { requestId, id } = await waiting();
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
