import { createTestEngine, outcomes, type TestEngine } from '../testing';

const T0 = new Date('2025-01-15T10:00:00.000Z');

describe('InquiryService', () => {
  let t: TestEngine;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] });
    t = createTestEngine({ merchantTimeoutMs: 5_000 });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  it('answers an approved payment with its receipt, and that answer counts as delivering the approval', async () => {
    t.channel.script('pay', outcomes.success('ALIPAY-TX-1'));
    const paid = await t.engine.purchase.purchase(t.purchase());
    await t.deliver(paid, false);
    const payment = t.db.payment(paid.approvalOf!.id)!;

    const answer = await t.engine.inquiry.inquire(t.inquiry({ kind: 'rrn', rrn: payment.rrn }));
    expect(answer.outcome).toEqual({
      kind: 'approved',
      receipt: {
        rrn: payment.rrn,
        approvalCode: payment.approvalCode,
        alipayTransactionId: 'ALIPAY-TX-1',
        requestId: payment.paymentRequestId,
      },
    });
    await t.deliver(answer, true);
    await jest.advanceTimersByTimeAsync(80_000);
    expect(t.db.payment(payment.id)).toMatchObject({ state: 'APPROVED', delivery: 'delivered' });
    expect(t.channel.callsOf('inquire')).toHaveLength(0);
  });

  it('refreshes a payment in doubt with one inquiry', async () => {
    t.channel.script('pay', outcomes.processing());
    t.channel.otherwise('inquire', outcomes.processing());
    const first = t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(5_000);
    expect((await first).outcome.kind).toBe('in-doubt');
    const payment = [...t.db.paymentRows.values()][0];
    const before = t.channel.callsOf('inquire').length;

    t.channel.script(
      'inquire',
      outcomes.failure('user-verification-failed', 'USER_PAYMENT_VERIFICATION_FAILED'),
    );
    const answer = await t.engine.inquiry.inquire(
      t.inquiry({
        kind: 'data-elements',
        mti: '0200',
        stan: payment.stan,
        localDateTime: payment.localDateTime,
      }),
    );
    expect(t.channel.callsOf('inquire')).toHaveLength(before + 1);
    expect(answer.outcome).toMatchObject({ kind: 'declined', reason: 'user-verification-failed' });
    expect(t.db.payment(payment.id)!.state).toBe('DECLINED');
  });

  it('reports a payment being cancelled as cancelled, whatever Alipay now says', async () => {
    t.channel.script('pay', outcomes.processing());
    void t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(75_000);
    const payment = [...t.db.paymentRows.values()][0];
    expect(payment.state).toBe('CANCEL_REQUESTED');
    t.channel.otherwise('inquire', outcomes.success());
    const answer = await t.engine.inquiry.inquire(t.inquiry({ kind: 'rrn', rrn: payment.rrn }));
    expect(answer.outcome.kind).toBe('cancelled');
    expect(t.db.payment(payment.id)!.state).toBe('CANCEL_REQUESTED');
  });

  it('answers 25-style not found for unknown originals and originals of another merchant', async () => {
    t.channel.script('pay', outcomes.success());
    const paid = await t.engine.purchase.purchase(t.purchase());
    const rrn = t.db.payment(paid.approvalOf!.id)!.rrn;
    expect((await t.engine.inquiry.inquire(t.inquiry({ kind: 'rrn', rrn: '5015NOTKNOWN' }))).outcome).toEqual(
      { kind: 'original-not-found' },
    );
    expect(
      (await t.engine.inquiry.inquire(t.inquiry({ kind: 'rrn', rrn }, { merchantId: 'OTHER' }))).outcome,
    ).toEqual({ kind: 'original-not-found' });
  });

  it('refuses an inquiry that reuses the STAN of a live payment', async () => {
    const held = t.channel.hold('pay');
    const purchase = t.purchase();
    void t.engine.purchase.purchase(purchase);
    await held.called;
    const payment = [...t.db.paymentRows.values()][0];
    const answer = await t.engine.inquiry.inquire(
      t.inquiry({ kind: 'rrn', rrn: payment.rrn }, { stan: purchase.stan }),
    );
    expect(answer.outcome).toEqual({ kind: 'duplicate' });
    held.release(outcomes.success());
  });

  it('answers a refund inquiry from the refund', async () => {
    t.channel.script('pay', outcomes.success());
    const paid = await t.engine.purchase.purchase(t.purchase());
    await t.deliver(paid, true);
    t.channel.script('refund', outcomes.success());
    const refunded = await t.engine.refund.refund(
      t.refund({ kind: 'rrn', rrn: t.db.payment(paid.approvalOf!.id)!.rrn }),
    );
    const refundRrn = refunded.outcome.kind === 'approved' ? refunded.outcome.receipt.rrn : '';
    const answer = await t.engine.inquiry.inquire(t.inquiry({ kind: 'rrn', rrn: refundRrn }));
    expect(answer.outcome.kind).toBe('approved');
    expect(answer.approvalOf).toEqual(refunded.approvalOf);
  });
});
