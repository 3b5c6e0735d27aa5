import {
  createTestEngine,
  localDateTime,
  outcomes,
  ScriptedChannel,
  TEST_PAYMENT_CODE,
  type TestEngine,
} from '../testing';

const T0 = new Date('2025-01-15T10:00:00.000Z');
const elapsed = () => Date.now() - T0.getTime();

describe('PurchaseService', () => {
  let t: TestEngine;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  it('stores the payment before calling Alipay and answers an approval with its receipt', async () => {
    t = createTestEngine();
    const statesSeenByPay: string[] = [];
    t.channel.script('pay', (request) => {
      const stored = [...t.db.paymentRows.values()].find(
        (p) => p.paymentRequestId === request.paymentRequestId,
      );
      statesSeenByPay.push(stored?.state ?? 'missing');
      return outcomes.success('ALIPAY-TX-1');
    });

    const answer = await t.engine.purchase.purchase(t.purchase());

    expect(statesSeenByPay).toEqual(['RECEIVED']);
    expect(answer.outcome).toEqual({
      kind: 'approved',
      receipt: {
        rrn: expect.stringMatching(/^[0-9A-Z]{12}$/),
        approvalCode: expect.stringMatching(/^\d{6}$/),
        alipayTransactionId: 'ALIPAY-TX-1',
        requestId: expect.stringMatching(/^[A-Za-z0-9]{56}$/),
      },
    });
    const payment = t.db.payment(answer.approvalOf!.id)!;
    expect(payment).toMatchObject({
      state: 'APPROVED',
      delivery: 'pending',
      paymentCodeMasked: '28************3456',
      version: 2,
    });
    expect(JSON.stringify(t.db.paymentRows.get(payment.id))).not.toContain(TEST_PAYMENT_CODE);
    expect(t.db.historyOf(payment.id).map((e) => [e.type, e.toState ?? e.api])).toEqual([
      ['STATE_CHANGED', 'RECEIVED'],
      ['ALIPAY_CALL', 'test'],
      ['STATE_CHANGED', 'APPROVED'],
    ]);
    expect(t.channel.callsOf('pay')[0]).toMatchObject({
      paymentCode: TEST_PAYMENT_CODE,
      amount: { amountMinor: 1000, currency: 'USD' },
    });
  });

  it('reads its own result from the pay call: the payment is read before pay (its state) and by the transition that stores it', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success('ALIPAY-TX-2'));
    const reads = jest.spyOn(t.db.payments, 'findById');

    const answer = await t.engine.purchase.purchase(t.purchase());

    expect(answer.outcome.kind).toBe('approved');
    // The read before pay is served by the SQL repository's recent-payments cache (no round trip).
    expect(reads).toHaveBeenCalledTimes(2);
    // Nothing waits on the payment's news: a pending wait would hold a timer until the reply deadline.
    expect(jest.getTimerCount()).toBe(1); // the gateway timeout alone
  });

  it('answers a decline with its reason and ends the payment', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.failure('insufficient-balance', 'USER_BALANCE_NOT_ENOUGH'));
    const answer = await t.engine.purchase.purchase(t.purchase());
    expect(answer.outcome).toMatchObject({ kind: 'declined', reason: 'insufficient-balance' });
    expect(answer.approvalOf).toBeUndefined();
    await jest.advanceTimersByTimeAsync(80_000);
    expect(t.channel.callsOf('inquire')).toHaveLength(0);
    expect(t.db.outbox).toHaveLength(0);
    expect(t.engine.timers.armed()).toEqual({ inquiries: 0, gatewayTimeouts: 0 });
  });

  it.each([
    ['ams', '2812345678901234', false], // 16 digits: too short for AMS
    ['openapi', '2812345678901234', true],
    ['mapi', '281234567890123456789012345', false], // 27 digits: too long for MAPI
    ['ams', '2412345678901234567', false], // prefix 24
  ] as const)(
    'checks the payment code for %s before any call (%s -> %s)',
    async (channelName, code, valid) => {
      t = createTestEngine({ channel: new ScriptedChannel(channelName).script('pay', outcomes.success()) });
      const answer = await t.engine.purchase.purchase(t.purchase({ paymentCode: code }));
      if (valid) {
        expect(answer.outcome.kind).toBe('approved');
      } else {
        expect(answer.outcome).toEqual({ kind: 'invalid', problem: 'payment-code' });
        expect(t.channel.calls).toHaveLength(0);
        expect(t.db.paymentRows.size).toBe(0);
      }
    },
  );

  it('refuses zero amounts, unknown currencies and unknown or suspended merchants without calling Alipay', async () => {
    t = createTestEngine();
    expect((await t.engine.purchase.purchase(t.purchase({ amountMinor: 0 }))).outcome).toEqual({
      kind: 'invalid',
      problem: 'amount',
    });
    expect((await t.engine.purchase.purchase(t.purchase({ currencyNumeric: '999' }))).outcome).toEqual({
      kind: 'invalid',
      problem: 'currency',
    });
    expect((await t.engine.purchase.purchase(t.purchase({ merchantId: 'UNKNOWN' }))).outcome).toEqual({
      kind: 'invalid',
      problem: 'merchant-unavailable',
    });
    t.merchants.put({ ...t.merchant, status: 'suspended' });
    expect((await t.engine.purchase.purchase(t.purchase())).outcome).toEqual({
      kind: 'invalid',
      problem: 'merchant-unavailable',
    });
    expect(t.channel.calls).toHaveLength(0);
  });

  it('inquires at the channel rhythm while in doubt and answers as soon as Alipay succeeds', async () => {
    t = createTestEngine();
    const inquiredAt: number[] = [];
    const inquire = (outcome: ReturnType<typeof outcomes.success>) => () => {
      inquiredAt.push(elapsed());
      return outcome;
    };
    t.channel.script('pay', outcomes.unknown('timeout'));
    t.channel.script(
      'inquire',
      inquire(outcomes.processing()),
      inquire(outcomes.failure('not-found', 'ORDER_NOT_EXIST')),
      inquire(outcomes.success()),
    );

    let answeredAt = -1;
    const answer = t.engine.purchase.purchase(t.purchase()).then((a) => {
      answeredAt = elapsed();
      return a;
    });
    await jest.advanceTimersByTimeAsync(8_999);
    expect(answeredAt).toBe(-1);
    await jest.advanceTimersByTimeAsync(1);

    expect(inquiredAt).toEqual([3_000, 6_000, 9_000]);
    expect(answeredAt).toBe(9_000);
    expect((await answer).outcome.kind).toBe('approved');
    await jest.advanceTimersByTimeAsync(30_000);
    expect(t.channel.callsOf('inquire')).toHaveLength(3);
  });

  it.each([
    ['openapi', [5_000, 10_000, 15_000]],
    ['mapi', [3_500, 7_000, 10_500]],
  ] as const)('uses the %s rhythm', async (channelName, expected) => {
    t = createTestEngine({ channel: new ScriptedChannel(channelName) });
    const inquiredAt: number[] = [];
    t.channel.script('pay', outcomes.processing());
    t.channel.otherwise('inquire', () => {
      inquiredAt.push(elapsed());
      return outcomes.processing();
    });
    void t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(expected[2]);
    expect(inquiredAt).toEqual(expected);
  });

  it('when Alipay stays processing: answers "in doubt" before the merchant timeout, sends nothing after, cancels at the gateway timeout', async () => {
    t = createTestEngine({ merchantTimeoutMs: 60_000, config: { gatewayTimeoutMs: 75_000 } });
    t.channel.script('pay', outcomes.processing());
    let answeredAt = -1;
    const answer = t.engine.purchase.purchase(t.purchase()).then((a) => {
      answeredAt = elapsed();
      return a;
    });

    await jest.advanceTimersByTimeAsync(60_000);
    expect(answeredAt).toBe(60_000 - t.config.replyMarginMs);
    expect((await answer).outcome.kind).toBe('in-doubt');
    const payment = [...t.db.paymentRows.values()][0];
    expect(payment.state).toBe('AWAITING_ALIPAY');
    expect(t.db.outbox).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(14_999);
    expect(t.db.payment(payment.id)!.state).toBe('AWAITING_ALIPAY');
    await jest.advanceTimersByTimeAsync(1);
    expect(t.db.payment(payment.id)).toMatchObject({
      state: 'CANCEL_REQUESTED',
      cancelReason: 'gateway-timeout',
    });
    expect(t.db.outbox).toEqual([
      {
        kind: 'CANCEL',
        key: payment.paymentRequestId,
        payload: {
          paymentId: payment.id,
          paymentRequestId: payment.paymentRequestId,
          merchantId: payment.merchantId,
          reason: 'gateway-timeout',
          requestedAt: new Date(T0.getTime() + 75_000).toISOString(),
        },
      },
    ]);
    const inquiries = t.channel.callsOf('inquire').length;
    expect(inquiries).toBe(24); // every 3 s from 3 s to 72 s
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.channel.callsOf('inquire')).toHaveLength(inquiries);
    expect(t.engine.timers.armed()).toEqual({ inquiries: 0, gatewayTimeouts: 0 });
  });

  it('cancels at the gateway timeout an approval the terminal did not receive', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success());
    const answer = await t.engine.purchase.purchase(t.purchase());
    await t.deliver(answer, false);
    const id = answer.approvalOf!.id;
    expect(t.db.payment(id)).toMatchObject({ state: 'APPROVED', delivery: 'undelivered' });

    await jest.advanceTimersByTimeAsync(75_000);
    expect(t.db.payment(id)).toMatchObject({ state: 'CANCEL_REQUESTED', cancelReason: 'gateway-timeout' });
    expect(t.db.outbox).toHaveLength(1);
  });

  it('cancels an approval that came after the terminal stopped waiting (never delivered)', async () => {
    t = createTestEngine({ merchantTimeoutMs: 10_000 });
    t.channel.script('pay', outcomes.processing());
    t.channel.script(
      'inquire',
      ...Array.from({ length: 4 }, () => outcomes.processing()),
      outcomes.success(),
    ); // success at 15 s
    const answer = await Promise.all([
      t.engine.purchase.purchase(t.purchase()),
      jest.advanceTimersByTimeAsync(10_000),
    ]);
    expect(answer[0].outcome.kind).toBe('in-doubt');
    await jest.advanceTimersByTimeAsync(5_000);
    const payment = [...t.db.paymentRows.values()][0];
    // The 91 was stored before it was written, so the approval that came after is known undelivered.
    expect(payment).toMatchObject({ state: 'APPROVED', delivery: 'undelivered' });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.db.payment(payment.id)!.state).toBe('CANCEL_REQUESTED');
  });

  it('never cancels an approval whose delivery could not be recorded: it counts as delivered', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success());
    const answer = await t.engine.purchase.purchase(t.purchase());
    expect(answer.outcome.kind).toBe('approved');
    // The 00 was written; every attempt to record that fails (the database is away).
    const realUpdate = t.db.payments.update;
    t.db.payments.update = () => Promise.reject(new Error('database away'));
    const recording = t.engine.recordDelivery(answer.approvalOf!, true);
    await jest.advanceTimersByTimeAsync(120_000);
    await recording;
    t.db.payments.update = realUpdate;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.db.payment(answer.approvalOf!.id)).toMatchObject({ state: 'APPROVED', delivery: 'pending' });
    expect(t.db.outbox).toHaveLength(0);
  });

  it('records a delivery after a passing database blip, retrying', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success());
    const answer = await t.engine.purchase.purchase(t.purchase());
    const realUpdate = t.db.payments.update;
    let failures = 2;
    t.db.payments.update = (...args) =>
      failures-- > 0 ? Promise.reject(new Error('blip')) : realUpdate(...args);
    const recording = t.engine.recordDelivery(answer.approvalOf!, false);
    await jest.advanceTimersByTimeAsync(5_000);
    await recording;
    // Recorded undelivered: the gateway timeout cancels it.
    expect(t.db.payment(answer.approvalOf!.id)).toMatchObject({ delivery: 'undelivered' });
    await jest.advanceTimersByTimeAsync(120_000);
    expect(t.db.payment(answer.approvalOf!.id)!.state).toBe('CANCEL_REQUESTED');
  });

  it('writes a delivered approval unhurried (it may share a round trip) and a failed delivery at once', async () => {
    t = createTestEngine();
    const realUpdate = t.db.payments.update;
    const unhurried: boolean[] = [];
    t.db.payments.update = (payment, version, history, outbox, options) => {
      if (payment.delivery !== 'pending') unhurried.push(options?.unhurried === true);
      return realUpdate(payment, version, history, outbox, options);
    };
    t.channel.script('pay', outcomes.success(), outcomes.success());
    await t.deliver(await t.engine.purchase.purchase(t.purchase()), true);
    await t.deliver(await t.engine.purchase.purchase(t.purchase()), false);
    expect(unhurried).toEqual([true, false]);
  });

  it("drops an approval's gateway timeout once it is recorded delivered, and keeps it while it may be undelivered", async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success(), outcomes.success());
    const delivered = await t.engine.purchase.purchase(t.purchase());
    const dropped = await t.engine.purchase.purchase(t.purchase());
    expect(t.engine.timers.armed().gatewayTimeouts).toBe(2);
    await t.deliver(delivered, true);
    expect(t.engine.timers.isArmed(delivered.approvalOf!.id)).toBe(false);
    await t.deliver(dropped, false);
    expect(t.engine.timers.isArmed(dropped.approvalOf!.id)).toBe(true);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(t.db.payment(dropped.approvalOf!.id)!.state).toBe('CANCEL_REQUESTED');
    expect(t.db.payment(delivered.approvalOf!.id)).toMatchObject({ state: 'APPROVED', delivery: 'delivered' });
  });

  it('keeps a delivered approval', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success());
    const answer = await t.engine.purchase.purchase(t.purchase());
    await t.deliver(answer, true);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(t.db.payment(answer.approvalOf!.id)).toMatchObject({ state: 'APPROVED', delivery: 'delivered' });
    expect(t.db.outbox).toHaveLength(0);
  });

  it('keeps the cancel when a success arrives after it was decided', async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.processing());
    void t.engine.purchase.purchase(t.purchase());
    await jest.advanceTimersByTimeAsync(75_000);
    const payment = [...t.db.paymentRows.values()][0];
    expect(payment.state).toBe('CANCEL_REQUESTED');

    expect(
      await t.engine.notifications.record({
        paymentRequestId: payment.paymentRequestId,
        status: 'success',
        amount: { amountMinor: 1000, currency: 'USD' },
      }),
    ).toBe('ignored');
    expect(t.db.payment(payment.id)!.state).toBe('CANCEL_REQUESTED');
    expect(t.db.historyOf(payment.id).at(-1)).toMatchObject({
      type: 'NOTE',
      detail: expect.stringContaining('cancel stands'),
    });

    await t.engine.cancellation.recordCancelOutcome(payment.paymentRequestId, { kind: 'cancelled' });
    expect(t.db.payment(payment.id)!.state).toBe('CANCELLED');
    expect(t.db.outbox).toHaveLength(1);
  });

  describe('retransmissions and duplicate STANs', () => {
    it('answers a retransmission of an in-flight payment with the same outcome and a single Alipay payment', async () => {
      t = createTestEngine();
      const held = t.channel.hold('pay');
      const original = t.purchase();
      const first = t.engine.purchase.purchase(original);
      await held.called;
      const repeat = t.engine.purchase.purchase({
        ...original,
        receivedAt: new Date(),
        replyDeadlineAt: new Date(Date.now() + 60_000),
      });
      await jest.advanceTimersByTimeAsync(1_000);
      held.release(outcomes.success('ALIPAY-TX-9'));
      const [a, b] = await Promise.all([first, repeat]);
      expect(a.outcome).toEqual(b.outcome);
      expect(a.outcome.kind).toBe('approved');
      expect(b.approvalOf).toEqual(a.approvalOf);
      expect(t.channel.callsOf('pay')).toHaveLength(1);
      expect(t.db.paymentRows.size).toBe(1);
    });

    it('answers a retransmission of a finished payment from the store', async () => {
      t = createTestEngine();
      t.channel.script('pay', outcomes.failure('expired-code', 'EXPIRED_CODE'));
      const original = t.purchase();
      const first = await t.engine.purchase.purchase(original);
      const again = await t.engine.purchase.purchase({ ...original, requestMti: '0200' });
      expect(again.outcome).toEqual(first.outcome);
      expect(t.channel.callsOf('pay')).toHaveLength(1);
    });

    it('refuses the same terminal, STAN and time with different content (94)', async () => {
      t = createTestEngine();
      t.channel.script('pay', outcomes.success());
      const original = t.purchase();
      await t.engine.purchase.purchase(original);
      for (const change of [
        { amountMinor: 999 },
        { paymentCode: '281234567890123457' },
        { processingCode: '200000' },
      ]) {
        expect((await t.engine.purchase.purchase({ ...original, ...change })).outcome).toEqual({
          kind: 'duplicate',
        });
      }
      expect(t.channel.callsOf('pay')).toHaveLength(1);
    });

    it('refuses a new request reusing the STAN of an unfinished payment, and accepts it once that one is final', async () => {
      t = createTestEngine();
      const held = t.channel.hold('pay');
      const original = t.purchase();
      void t.engine.purchase.purchase(original);
      await held.called;
      await jest.advanceTimersByTimeAsync(1_000);
      const reuse = { ...original, localDateTime: localDateTime(new Date()) };
      expect((await t.engine.purchase.purchase(reuse)).outcome).toEqual({ kind: 'duplicate' });

      held.release(outcomes.failure('declined', 'PROCESS_FAIL'));
      await jest.advanceTimersByTimeAsync(0);
      t.channel.script('pay', outcomes.success());
      expect((await t.engine.purchase.purchase(reuse)).outcome.kind).toBe('approved');
    });

    it('does not answer an approval to a repeat whose reply could outlive the gateway timeout', async () => {
      t = createTestEngine({ config: { gatewayTimeoutMs: 75_000 } });
      t.channel.script('pay', outcomes.success());
      const original = t.purchase();
      const first = await t.engine.purchase.purchase(original);
      await t.deliver(first, false);
      await jest.advanceTimersByTimeAsync(20_000);
      const late = await t.engine.purchase.purchase({
        ...original,
        receivedAt: new Date(),
        replyDeadlineAt: new Date(Date.now() + 60_000),
      });
      expect(late.outcome.kind).toBe('in-doubt');
      expect(late.approvalOf).toBeUndefined();
    });

    it('lets a racing retransmission lose the insert and follow the original', async () => {
      t = createTestEngine();
      t.channel.otherwise('pay', outcomes.success());
      const original = t.purchase();
      const [a, b] = await Promise.all([
        t.engine.purchase.purchase(original),
        t.engine.purchase.purchase({ ...original }),
      ]);
      expect(a.outcome.kind).toBe('approved');
      expect(b.outcome).toEqual(a.outcome);
      expect(t.channel.callsOf('pay')).toHaveLength(1);
    });
  });

  it('still inquires when the pay outcome could not be stored', async () => {
    t = createTestEngine();
    const held = t.channel.hold('pay');
    void t.engine.purchase.purchase(t.purchase());
    await held.called;
    t.db.failNextWrite = new Error('database went away');
    held.release(outcomes.success());
    await jest.advanceTimersByTimeAsync(2_999);
    const payment = [...t.db.paymentRows.values()][0];
    expect(payment.state).toBe('RECEIVED');
    t.channel.script('inquire', outcomes.success());
    await jest.advanceTimersByTimeAsync(1);
    expect(t.db.payment(payment.id)!.state).toBe('APPROVED');
  });

  describe('a purchase whose reversal arrived first', () => {
    it('is declined without calling Alipay when a stored reversal names it', async () => {
      const claimed: string[] = [];
      t = createTestEngine({
        earlyReversals: {
          claimFor: async (payment) => {
            claimed.push(payment.stan);
            return true;
          },
        },
      });
      const answer = await t.engine.purchase.purchase(t.purchase());
      expect(answer.outcome).toMatchObject({ kind: 'declined', reason: 'declined' });
      expect(t.channel.callsOf('pay')).toHaveLength(0);
      const payment = [...t.db.paymentRows.values()][0];
      expect(payment).toMatchObject({ state: 'DECLINED', failureCode: 'REVERSED_BEFORE_ARRIVAL' });
      expect(claimed).toEqual([payment.stan]);
    });

    it('is not paid when a reversal made it CANCEL_REQUESTED while it was stored and checked', async () => {
      t = createTestEngine({
        earlyReversals: {
          // The reversal side found the stored purchase and decided its cancel just before the pay call.
          claimFor: async (payment) => {
            await t.engine.cancellation.requestCancel(payment.id, 'terminal-reversal');
            return false;
          },
        },
      });
      t.channel.script('pay', outcomes.success());
      const answer = await t.engine.purchase.purchase(t.purchase());
      expect(t.channel.callsOf('pay')).toHaveLength(0);
      expect(answer.outcome.kind).toBe('cancelled');
      expect([...t.db.paymentRows.values()][0]).toMatchObject({ state: 'CANCEL_REQUESTED' });
    });

    it('is paid as usual when no stored reversal names it', async () => {
      t = createTestEngine({ earlyReversals: { claimFor: async () => false } });
      t.channel.script('pay', outcomes.success());
      const answer = await t.engine.purchase.purchase(t.purchase());
      expect(answer.outcome.kind).toBe('approved');
      expect(t.channel.callsOf('pay')).toHaveLength(1);
    });
  });

  it("is declined without calling Alipay when the terminal's reply deadline passed before the pay call", async () => {
    t = createTestEngine();
    t.channel.script('pay', outcomes.success());
    // Queued behind other requests: only the reply margin is left of the terminal's time.
    const command = { ...t.purchase(), replyDeadlineAt: new Date(T0.getTime() + t.config.replyMarginMs) };
    const answer = await t.engine.purchase.purchase(command);
    expect(t.channel.callsOf('pay')).toHaveLength(0);
    expect(answer.outcome).toMatchObject({ kind: 'declined', reason: 'declined' });
    expect([...t.db.paymentRows.values()][0]).toMatchObject({ state: 'DECLINED', failureCode: 'REPLY_DEADLINE_PASSED' });
  });
});
