import type { EngineAnswer } from './commands';
import { createTestEngine, outcomes, type TestEngine } from '../testing';

const T0 = new Date('2025-01-15T10:00:00.000Z');

describe('RefundService', () => {
  let t: TestEngine;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] });
    t = createTestEngine({ config: { refundRetryIntervalMs: 7_500, refundRetryWindowMs: 60_000 } });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  /** An approved payment of 1000 whose approval reached the terminal. */
  async function paid(): Promise<{ answer: EngineAnswer; rrn: string; id: string }> {
    t.channel.script('pay', outcomes.success('ALIPAY-TX-1'));
    const answer = await t.engine.purchase.purchase(t.purchase({ amountMinor: 1000 }));
    await t.deliver(answer, true);
    const id = answer.approvalOf!.id;
    return { answer, id, rrn: t.db.payment(id)!.rrn };
  }

  it('refunds part of a payment and records it on the original', async () => {
    const { rrn, id } = await paid();
    t.channel.script('refund', outcomes.success('REFUND-1'));
    const answer = await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 400 }));

    expect(answer.outcome).toMatchObject({
      kind: 'approved',
      receipt: {
        requestId: expect.stringMatching(/^RF[A-Za-z0-9]+$/),
        approvalCode: expect.stringMatching(/^\d{6}$/),
      },
    });
    expect(answer.approvalOf?.type).toBe('refund');
    expect(t.db.payment(id)).toMatchObject({ refundedMinor: 400, reservedRefundMinor: 0, state: 'APPROVED' });
    expect(t.channel.callsOf('refund')[0]).toMatchObject({
      amount: { amountMinor: 400, currency: 'USD' },
      alipayTransactionId: 'ALIPAY-TX-1',
    });
    await t.deliver(answer, true);
    expect(t.db.refund(answer.approvalOf!.id)!.delivery).toBe('delivered');
  });

  it('finds the original by field 90 data elements on the same terminal', async () => {
    const { id } = await paid();
    const original = t.db.payment(id)!;
    t.channel.script('refund', outcomes.success());
    const answer = await t.engine.refund.refund(
      t.refund({
        kind: 'data-elements',
        mti: '0200',
        stan: original.stan,
        localDateTime: original.localDateTime,
      }),
    );
    expect(answer.outcome.kind).toBe('approved');
    expect(
      (
        await t.engine.refund.refund(
          t.refund({
            kind: 'data-elements',
            mti: '0200',
            stan: '999999',
            localDateTime: original.localDateTime,
          }),
        )
      ).outcome,
    ).toEqual({
      kind: 'original-not-found',
    });
  });

  it('never lets racing refunds add up to more than the payment', async () => {
    const { rrn, id } = await paid();
    t.channel.otherwise('refund', outcomes.success());
    const answers = await Promise.all([
      t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 600 })),
      t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 600 })),
      t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 400 })),
    ]);
    const kinds = answers.map((a) => a.outcome.kind).sort();
    const refunded = t.db.payment(id)!.refundedMinor;
    expect(refunded).toBeLessThanOrEqual(1000);
    expect(kinds.filter((k) => k === 'approved').length).toBe(2);
    expect(answers.filter((a) => a.outcome.kind === 'declined').map((a) => a.outcome)).toEqual([
      { kind: 'declined', reason: 'refund-amount-exceeded' },
    ]);
    expect(refunded).toBe(1000);
    expect(t.channel.callsOf('refund')).toHaveLength(2);
  });

  it('releases the reservation when Alipay refuses', async () => {
    const { rrn, id } = await paid();
    t.channel.script('refund', outcomes.failure('refund-window-exceeded', 'REFUND_WINDOW_EXCEED'));
    const answer = await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 1000 }));
    expect(answer.outcome).toMatchObject({ kind: 'declined', reason: 'refund-window-exceeded' });
    expect(t.db.payment(id)).toMatchObject({ refundedMinor: 0, reservedRefundMinor: 0 });
  });

  it('retries an unknown outcome with the same refund request id and settles when Alipay confirms', async () => {
    const { rrn, id } = await paid();
    t.channel.script('refund', outcomes.unknown('timeout'), outcomes.unknown('network'), outcomes.success());
    const answer = t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 300 }));
    await jest.advanceTimersByTimeAsync(15_000);
    expect((await answer).outcome.kind).toBe('approved');
    const ids = t.channel.callsOf('refund').map((r) => r.refundRequestId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(t.db.payment(id)).toMatchObject({ refundedMinor: 300, reservedRefundMinor: 0 });
  });

  it('answers "in doubt" at the merchant timeout and keeps retrying in the background, ending in manual intervention', async () => {
    const { rrn, id } = await paid();
    t.channel.otherwise('refund', outcomes.unknown('timeout'));
    const answer = t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 300 }));
    await jest.advanceTimersByTimeAsync(60_000);
    expect((await answer).outcome.kind).toBe('in-doubt');
    await jest.advanceTimersByTimeAsync(10_000);
    const refund = [...t.db.refundRows.values()][0];
    expect(refund).toMatchObject({ state: 'PENDING', manualIntervention: true, attempts: 9 }); // at 0, 7.5, ... 60 s
    expect(t.db.payment(id)).toMatchObject({ refundedMinor: 0, reservedRefundMinor: 300 });
    expect(t.engine.refundAttempts.pending()).toBe(0);
  });

  it('refuses refunds of payments that are not approved and delivered, or in another currency, or too large', async () => {
    t.channel.script('pay', outcomes.success());
    const undelivered = await t.engine.purchase.purchase(t.purchase());
    const rrn = t.db.payment(undelivered.approvalOf!.id)!.rrn;
    await t.deliver(undelivered, false);
    expect((await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }))).outcome).toEqual({
      kind: 'invalid',
      problem: 'transaction',
    });
    await t.deliver(undelivered, true);
    expect(
      (await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { currencyNumeric: '392' }))).outcome,
    ).toEqual({ kind: 'invalid', problem: 'currency' });
    expect(
      (await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 1001 }))).outcome,
    ).toEqual({
      kind: 'declined',
      reason: 'refund-amount-exceeded',
    });
    expect((await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn: 'NOPE00000000' }))).outcome).toEqual({
      kind: 'original-not-found',
    });
    expect(t.channel.callsOf('refund')).toHaveLength(0);
  });

  it('answers a retransmitted refund without refunding twice', async () => {
    const { rrn, id } = await paid();
    t.channel.otherwise('refund', outcomes.success());
    const command = t.refund({ kind: 'rrn', rrn }, { amountMinor: 200 });
    const first = await t.engine.refund.refund(command);
    const again = await t.engine.refund.refund({ ...command });
    expect(again.outcome).toEqual(first.outcome);
    expect(t.channel.callsOf('refund')).toHaveLength(1);
    expect(t.db.payment(id)!.refundedMinor).toBe(200);
  });

  it('does not refund a refund', async () => {
    const { rrn } = await paid();
    t.channel.otherwise('refund', outcomes.success());
    const first = await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 200 }));
    const refundRrn = first.outcome.kind === 'approved' ? first.outcome.receipt.rrn : '';
    expect((await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn: refundRrn }))).outcome).toEqual({
      kind: 'invalid',
      problem: 'transaction',
    });
  });

  it("answers a retransmitted refund at another instance with the original's outcome, read from the database", async () => {
    t.engine.dispose();
    t = createTestEngine({ config: { instanceId: 'a' } });
    const other = createTestEngine({ db: t.db, channel: t.channel, config: { instanceId: 'b' } });
    try {
      const { rrn } = await paid();
      const held = t.channel.hold('refund');
      const command = t.refund({ kind: 'rrn', rrn }, { amountMinor: 300 });
      const first = t.engine.refund.refund(command);
      await held.called;
      let answered: EngineAnswer | undefined;
      void other.engine.refund.refund({ ...command }).then((a) => (answered = a));
      await jest.advanceTimersByTimeAsync(2_000);
      expect(answered).toBeUndefined(); // still waiting: the original is in flight at instance a

      held.release(outcomes.success('REFUND-9'));
      const original = await first;
      // No event of instance a reaches instance b: its next read of the database (every 250 ms) does.
      await jest.advanceTimersByTimeAsync(300);
      expect(answered?.outcome).toEqual(original.outcome);
      expect(original.outcome.kind).toBe('approved');
      expect(t.channel.callsOf('refund')).toHaveLength(1);
    } finally {
      other.engine.dispose();
    }
  });
});
