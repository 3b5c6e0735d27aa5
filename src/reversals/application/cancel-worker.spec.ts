import type { CancelOrder, OutboxMessage } from '../../payments/application/ports/payment.repository.port';
import { createTestEngine, outcomes, type TestEngine } from '../../payments/testing';
import { cancelRetryPolicy } from '../domain/retry-policy';
import { InMemoryManualInterventions } from '../testing/in-memory-stores';
import { CancelWorker } from './cancel-worker';

/** The worker over the payments engine on in-memory ports and a scripted Alipay channel. */
describe('CancelWorker', () => {
  let t: TestEngine;
  let manual: InMemoryManualInterventions;
  let now: Date;
  let worker: CancelWorker;
  const policy = cancelRetryPolicy({ intervalMs: 100, windowMs: 200, backoffMs: [1_000] }); // 4 attempts

  beforeEach(() => {
    manual = new InMemoryManualInterventions();
    t = createTestEngine({ manualInterventions: manual });
    now = new Date(Date.now() + 120_000); // the payments below are two minutes old for the worker
    worker = new CancelWorker(
      t.db.payments,
      t.engine.cancellation,
      t.merchants,
      { now: () => now },
      { info: () => undefined, warn: () => undefined, error: () => undefined },
      { policy, absentFinalAfterMs: 60_000 },
    );
  });
  afterEach(() => t.engine.dispose());

  /** An approved payment the terminal reversed: CANCEL_REQUESTED with its cancel order in the outbox. */
  async function reversedPayment(): Promise<OutboxMessage> {
    t.channel.script('pay', outcomes.success('ALI-1'));
    const answer = await t.engine.purchase.purchase(t.purchase({ amountMinor: 2_500 }));
    await t.engine.cancellation.requestCancel(answer.approvalOf!.id, 'terminal-reversal');
    return t.db.outbox[t.db.outbox.length - 1];
  }
  const attempt = (order: OutboxMessage, n: number) =>
    worker.attempt(order.key, JSON.stringify(order.payload), n);
  const stateOf = (order: OutboxMessage) => t.db.payment(order.payload.paymentId)!;

  it('cancels at Alipay with the paymentRequestId and records the call', async () => {
    const order = await reversedPayment();
    expect(await attempt(order, 1)).toEqual({ kind: 'done', detail: 'Alipay confirmed the cancel' });
    expect(t.channel.callsOf('cancel')).toEqual([expect.objectContaining({ paymentRequestId: order.key })]);
    expect(stateOf(order).state).toBe('CANCELLED');
    const calls = t.db
      .historyOf(order.payload.paymentId)
      .filter((e) => e.type === 'ALIPAY_CALL' && e.requestId === order.key);
    expect(calls.map((e) => e.outcome)).toEqual(['success', 'success']); // the pay, then the cancel
  });

  it('does not call Alipay again for a payment already cancelled (a duplicate delivery)', async () => {
    const order = await reversedPayment();
    await attempt(order, 1);
    expect(await attempt(order, 1)).toEqual({ kind: 'done', detail: 'already cancelled' });
    expect(t.channel.callsOf('cancel')).toHaveLength(1);
  });

  it('asks for a retry while Alipay gives no answer, keeping each try in the history', async () => {
    const order = await reversedPayment();
    t.channel.script('cancel', outcomes.unknown('timeout'), outcomes.unknown('network'));
    expect(await attempt(order, 1)).toMatchObject({ kind: 'retry' });
    expect(await attempt(order, 2)).toMatchObject({ kind: 'retry' });
    expect(await attempt(order, 3)).toMatchObject({ kind: 'done' });
    const notes = t.db
      .historyOf(order.payload.paymentId)
      .filter((e) => e.type === 'NOTE')
      .map((e) => e.detail);
    expect(notes).toEqual([
      'cancel retry: attempt 1: cancel timeout',
      'cancel retry: attempt 2: cancel network',
    ]);
    expect(manual.entries).toEqual([]);
  });

  it('hands the payment to people when the last attempt gets no answer either', async () => {
    const order = await reversedPayment();
    t.channel.otherwise('cancel', outcomes.unknown('timeout'));
    const result = await attempt(order, policy.maxAttempts);
    expect(result).toMatchObject({
      kind: 'dead',
      reason: expect.stringMatching(/^retries-exhausted: no confirmation after 4 attempts/),
    });
    expect(stateOf(order)).toMatchObject({ state: 'CANCEL_REQUESTED', manualIntervention: true });
    expect(manual.entries).toEqual([
      expect.objectContaining({
        paymentId: order.payload.paymentId,
        paymentRequestId: order.key,
        reason: 'retries-exhausted',
      }),
    ]);
  });

  it('refunds the whole payment with a stable refund request id once the cancel window has passed', async () => {
    const order = await reversedPayment();
    t.channel.otherwise('cancel', outcomes.failure('cancel-window-exceeded', 'CANCEL_WINDOW_EXCEED'));
    t.channel.script('refund', outcomes.unknown('timeout'), outcomes.success('REFUND-1'));
    expect(await attempt(order, 1)).toMatchObject({ kind: 'retry', detail: 'refund timeout' });
    expect(await attempt(order, 2)).toEqual({
      kind: 'done',
      detail: 'past the cancel window: refunded in full',
    });
    const refunds = t.channel.callsOf('refund');
    expect(refunds.map((r) => r.refundRequestId)).toEqual([`C${order.key}`, `C${order.key}`]);
    expect(refunds[0]).toMatchObject({
      paymentRequestId: order.key,
      amount: { amountMinor: 2_500, currency: 'USD' },
      alipayTransactionId: 'ALI-1',
    });
    expect(stateOf(order).state).toBe('CANCELLED');
  });

  it('past the cancel window refunds only what is neither refunded nor still in flight', async () => {
    const order = await reversedPayment();
    const id = order.payload.paymentId;
    const row = t.db.paymentRows.get(id)!;
    t.db.paymentRows.set(id, { ...row, refundedMinor: 300, reservedRefundMinor: 500 });
    t.channel.otherwise('cancel', outcomes.failure('cancel-window-exceeded', 'CANCEL_WINDOW_EXCEED'));
    t.channel.otherwise('refund', outcomes.success('REFUND-1'));
    expect(await attempt(order, 1)).toMatchObject({
      kind: 'retry',
      detail: 'terminal refunds of 500 (minor units) still in flight',
    });
    expect(t.channel.callsOf('refund')).toEqual([]);
    // The terminal refund settles: the cancel takes back the rest, once.
    t.db.paymentRows.set(id, { ...t.db.paymentRows.get(id)!, refundedMinor: 800, reservedRefundMinor: 0 });
    expect(await attempt(order, 2)).toMatchObject({ kind: 'done' });
    expect(t.channel.callsOf('refund').map((r) => r.amount.amountMinor)).toEqual([1_700]);
  });

  it('hands a refused cancel or refund to people at once', async () => {
    const refused = await reversedPayment();
    t.channel.script('cancel', outcomes.failure('merchant-not-permitted', 'ACCESS_DENIED'));
    expect(await attempt(refused, 1)).toMatchObject({
      kind: 'dead',
      reason: expect.stringContaining('alipay-refused'),
    });
    const refundRefused = await reversedPayment();
    t.channel.script('cancel', outcomes.failure('cancel-window-exceeded', 'CANCEL_WINDOW_EXCEED'));
    t.channel.script('refund', outcomes.failure('refund-window-exceeded', 'REFUND_WINDOW_EXCEED'));
    expect(await attempt(refundRefused, 1)).toMatchObject({ kind: 'dead' });
    expect(manual.entries.map((e) => [e.paymentRequestId, e.reason])).toEqual([
      [refused.key, 'alipay-refused'],
      [refundRefused.key, 'alipay-refused'],
    ]);
  });

  it('treats "order not found" as nothing to cancel only once the pay cannot still be on its way', async () => {
    const order = await reversedPayment();
    t.channel.otherwise('cancel', outcomes.failure('not-found', 'ORDER_NOT_EXIST'));
    t.channel.otherwise('inquire', outcomes.failure('not-found', 'ORDER_NOT_EXIST'));
    now = new Date(stateOf(order).createdAt.getTime() + 1_000);
    expect(await attempt(order, 1)).toMatchObject({ kind: 'retry' });
    expect(t.channel.callsOf('inquire')).toEqual([]);
    now = new Date(stateOf(order).createdAt.getTime() + 60_000);
    expect(await attempt(order, 2)).toEqual({
      kind: 'done',
      detail: 'Alipay has no such payment: nothing to cancel',
    });
    expect(stateOf(order).state).toBe('CANCELLED');
  });

  it.each(['ACQ.TRADE_STATUS_ERROR', 'ACQ.REASON_TRADE_STATUS_INVALID', 'TRADE_STATUS_ERROR'])(
    'confirms a cancel answered "closed" (%s) only when an inquiry shows no money taken',
    async (code) => {
      const order = await reversedPayment();
      t.channel.otherwise('cancel', outcomes.failure('closed', code));
      // Alipay still holds the money: the generic error confirmed nothing, so the cancel is sent again.
      t.channel.script('inquire', outcomes.success('ALI-1'), outcomes.failure('closed', 'TRADE_CLOSED'));
      expect(await attempt(order, 1)).toEqual({
        kind: 'retry',
        detail: 'Alipay reports the payment paid: cancel again',
      });
      expect(stateOf(order).state).toBe('CANCEL_REQUESTED');
      expect(await attempt(order, 2)).toEqual({
        kind: 'done',
        detail: 'payment closed at Alipay (inquiry: TRADE_CLOSED)',
      });
      expect(stateOf(order).state).toBe('CANCELLED');
      expect(t.channel.callsOf('cancel')).toHaveLength(2);
      expect(t.channel.callsOf('inquire')).toEqual([
        expect.objectContaining({ paymentRequestId: order.key }),
        expect.objectContaining({ paymentRequestId: order.key }),
      ]);
      // Every call is in the history: the pay, then per attempt the cancel and its inquiry.
      const calls = t.db.historyOf(order.payload.paymentId).filter((e) => e.type === 'ALIPAY_CALL');
      expect(calls).toHaveLength(5);
    },
  );

  it('does not confirm "order not found" past the floor while an inquiry shows the payment paid', async () => {
    const order = await reversedPayment();
    t.channel.otherwise('cancel', outcomes.failure('not-found', 'ORDER_NOT_EXIST'));
    t.channel.otherwise('inquire', outcomes.success('ALI-1'));
    expect(await attempt(order, 1)).toMatchObject({ kind: 'retry' });
    expect(stateOf(order).state).toBe('CANCEL_REQUESTED');
  });

  it('hands unreadable orders and orders for unknown payments or merchants to people', async () => {
    expect(await worker.attempt('K1', 'not json', 1)).toMatchObject({
      kind: 'dead',
      reason: 'unprocessable: unreadable cancel order: payload is not JSON',
    });
    const order = await reversedPayment();
    const unknownPayment: CancelOrder = { ...order.payload, paymentRequestId: 'NOPE' };
    expect(await worker.attempt('NOPE', JSON.stringify(unknownPayment), 1)).toMatchObject({
      kind: 'dead',
      reason: expect.stringContaining('no payment'),
    });
    const unknownMerchant: CancelOrder = { ...order.payload, merchantId: 'MERCHANT0000099' };
    expect(await worker.attempt(order.key, JSON.stringify(unknownMerchant), 1)).toMatchObject({
      kind: 'dead',
      reason: expect.stringContaining('unknown'),
    });
    expect(manual.entries.map((e) => [e.paymentRequestId, e.reason])).toEqual([
      ['K1', 'unprocessable'],
      ['NOPE', 'unprocessable'],
      [order.key, 'unprocessable'],
    ]);
    expect(manual.entries[2]).toMatchObject({
      paymentRequestId: order.key,
      paymentId: order.payload.paymentId,
    });
    expect(stateOf(order)).toMatchObject({ state: 'CANCEL_REQUESTED', manualIntervention: true });
    expect(t.channel.callsOf('cancel')).toEqual([]);
  });
});
