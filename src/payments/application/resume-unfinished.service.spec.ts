import {
  aPayment,
  aRefund,
  createTestEngine,
  InMemoryPaymentsDb,
  outcomes,
  ScriptedChannel,
  type TestEngine,
} from '../testing';

const NOW = new Date('2025-01-15T10:00:30.000Z');
const CREATED = new Date('2025-01-15T10:00:00.000Z'); // gateway deadline 10:01:15

describe('ResumeUnfinished', () => {
  let t: TestEngine;
  let db: InMemoryPaymentsDb;
  let channel: ScriptedChannel;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'queueMicrotask'] });
    db = new InMemoryPaymentsDb();
    channel = new ScriptedChannel('ams');
    t = createTestEngine({ db, channel });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  const row = (id: string, overrides: Parameters<typeof aPayment>[0] = {}) => {
    const payment = aPayment({
      id,
      paymentRequestId: `REQ${id}`,
      rrn: `RRN${id}`.padEnd(12, '0'),
      stan: id.padStart(6, '0'),
      merchantId: t.merchant.merchantId,
      createdAt: CREATED,
      gatewayDeadlineAt: new Date(CREATED.getTime() + 75_000),
      ...overrides,
    });
    db.paymentRows.set(id, payment);
    return payment;
  };

  it('cancels a RECEIVED payment Alipay never saw', async () => {
    row('1', { state: 'RECEIVED' });
    channel.script('inquire', outcomes.failure('not-found', 'ORDER_NOT_EXIST'));
    const report = await t.engine.resume.resume();
    expect(report).toMatchObject({ payments: 1, cancelled: 1 });
    expect(db.payment('1')).toMatchObject({ state: 'CANCEL_REQUESTED', cancelReason: 'in-doubt-on-resume' });
    expect(db.outbox.map((m) => m.key)).toEqual(['REQ1']);
    expect(channel.callsOf('pay')).toHaveLength(0);
  });

  it('settles an in-doubt payment Alipay approved, and cancels it at the gateway timeout since the terminal never saw it', async () => {
    row('2', { state: 'AWAITING_ALIPAY' });
    channel.script('inquire', outcomes.success());
    expect(await t.engine.resume.resume()).toMatchObject({ settled: 1 });
    // It was open when the process died: no approval was written, so it is known undelivered.
    expect(db.payment('2')).toMatchObject({ state: 'APPROVED', delivery: 'undelivered' });
    await jest.advanceTimersByTimeAsync(45_000);
    expect(db.payment('2')!.state).toBe('CANCEL_REQUESTED');
  });

  it('keeps inquiring a payment still processing and cancels it at its gateway timeout', async () => {
    row('3', { state: 'AWAITING_ALIPAY' });
    channel.otherwise('inquire', outcomes.processing());
    expect(await t.engine.resume.resume()).toMatchObject({ stillInDoubt: 1 });
    await jest.advanceTimersByTimeAsync(44_999);
    expect(channel.callsOf('inquire').length).toBeGreaterThan(10);
    expect(db.payment('3')!.state).toBe('AWAITING_ALIPAY');
    await jest.advanceTimersByTimeAsync(1);
    expect(db.payment('3')!.state).toBe('CANCEL_REQUESTED');
  });

  it('cancels without asking what is past its gateway timeout', async () => {
    row('4', { state: 'AWAITING_ALIPAY', gatewayDeadlineAt: new Date(NOW.getTime() - 1) });
    row('5', { state: 'APPROVED', delivery: 'undelivered', gatewayDeadlineAt: new Date(NOW.getTime() - 1) });
    expect(await t.engine.resume.resume()).toMatchObject({ cancelled: 2 });
    expect(db.payment('4')).toMatchObject({ state: 'CANCEL_REQUESTED', cancelReason: 'in-doubt-on-resume' });
    expect(db.payment('5')).toMatchObject({ state: 'CANCEL_REQUESTED', cancelReason: 'gateway-timeout' });
    expect(channel.calls).toHaveLength(0);
  });

  it('leaves cancels to the outbox and re-arms the gateway timeout of an undelivered approval', async () => {
    row('6', { state: 'CANCEL_REQUESTED' });
    row('7', { state: 'APPROVED', delivery: 'undelivered' });
    await t.engine.resume.resume();
    expect(channel.calls).toHaveLength(0);
    expect(t.engine.timers.armed().gatewayTimeouts).toBe(1);
    await jest.advanceTimersByTimeAsync(45_000);
    expect(db.payment('6')!.version).toBe(1);
    expect(db.payment('7')!.state).toBe('CANCEL_REQUESTED');
  });

  it('counts an approval whose delivery was never recorded as delivered: only the terminal reverses it', async () => {
    // The process died between writing the 00 and recording it.
    row('9', { state: 'APPROVED', delivery: 'pending' });
    await t.engine.resume.resume();
    await jest.advanceTimersByTimeAsync(45_000);
    expect(db.payment('9')).toMatchObject({ state: 'APPROVED', delivery: 'delivered' });
    expect(db.historyOf('9').map((e) => e.detail)).toContain('delivery unknown after a restart: counted as delivered');
    expect(db.outbox).toHaveLength(0);
  });

  it("keeps an in-app order's approval after a restart: its customer saw it in the Alipay app, no terminal waits", async () => {
    t.engine.dispose();
    t = createTestEngine({ db, channel, config: { inAppTerminalId: 'H5ORDERS' } });
    row('10', { state: 'AWAITING_ALIPAY', terminalId: 'H5ORDERS' });
    channel.script('inquire', outcomes.success());
    expect(await t.engine.resume.resume()).toMatchObject({ settled: 1 });
    expect(db.payment('10')).toMatchObject({ state: 'APPROVED', delivery: 'pending' });
    await jest.advanceTimersByTimeAsync(45_000);
    expect(db.payment('10')!.state).toBe('APPROVED');
    expect(db.outbox).toHaveLength(0);
  });

  it('leaves alone a purchase stored after the engine started: it is being paid, not left over', async () => {
    row('11', { state: 'AWAITING_ALIPAY' });
    row('12', { state: 'AWAITING_ALIPAY', createdAt: new Date(NOW.getTime() + 5) });
    channel.otherwise('inquire', outcomes.processing());
    expect(await t.engine.resume.resume()).toMatchObject({ payments: 1 });
    expect(channel.callsOf('inquire').map((c) => c.paymentRequestId)).toEqual(['REQ11']);
    expect(db.payment('12')).toMatchObject({ state: 'AWAITING_ALIPAY', version: 1 });
  });

  it('retries unfinished refunds with their own refund request id', async () => {
    row('8', { state: 'APPROVED', delivery: 'delivered', reservedRefundMinor: 500 });
    db.refundRows.set(
      'r1',
      aRefund({
        id: 'r1',
        paymentId: '8',
        merchantId: t.merchant.merchantId,
        state: 'PENDING',
        retryUntil: new Date(NOW.getTime() + 30_000),
      }),
    );
    db.refundRows.set(
      'r2',
      aRefund({ id: 'r2', paymentId: '8', rrn: 'OTHERRRN0000', manualIntervention: true, state: 'PENDING' }),
    );
    channel.script('refund', outcomes.success());
    expect(await t.engine.resume.resume()).toMatchObject({ refunds: 1 });
    expect(channel.callsOf('refund').map((r) => r.refundRequestId)).toEqual([aRefund().refundRequestId]);
    expect(db.refund('r1')!.state).toBe('SUCCEEDED');
    expect(db.payment('8')).toMatchObject({ refundedMinor: 500, reservedRefundMinor: 0 });
  });
});
