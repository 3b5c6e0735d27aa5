import { InMemoryManualInterventions } from '../../reversals/testing/in-memory-stores';
import { createTestEngine, outcomes, type TestEngine } from '../testing';
import { PaymentNotFoundError } from '../domain/errors';

describe('CancellationService', () => {
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

  async function approved() {
    t.channel.script('pay', outcomes.success());
    const answer = await t.engine.purchase.purchase(t.purchase());
    return t.db.payment(answer.approvalOf!.id)!;
  }

  it('cancels a terminal-reversed payment named by its RRN, once', async () => {
    const payment = await approved();
    const first = await t.engine.cancellation.requestCancelOf(
      { kind: 'rrn', rrn: payment.rrn },
      payment.merchantId,
      payment.terminalId,
      'terminal-reversal',
    );
    expect(first.kind).toBe('requested');
    const again = await t.engine.cancellation.requestCancel(payment.id, 'operator');
    expect(again.kind).toBe('already');
    expect(t.db.outbox).toHaveLength(1);
    // The order names the payment; the worker reads its Alipay transaction id from the stored payment.
    expect(t.db.outbox[0].payload).toEqual({
      paymentId: payment.id,
      paymentRequestId: payment.paymentRequestId,
      merchantId: payment.merchantId,
      reason: 'terminal-reversal',
      requestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect(t.db.payment(payment.id)!.alipayTransactionId).toEqual(expect.any(String));
  });

  it('needs no cancel for a declined payment and reports unknown originals', async () => {
    t.channel.script('pay', outcomes.failure('risk-rejected', 'RISK_REJECT'));
    const answer = await t.engine.purchase.purchase(t.purchase());
    const payment = [...t.db.paymentRows.values()][0];
    expect(answer.outcome.kind).toBe('declined');
    expect((await t.engine.cancellation.requestCancel(payment.id, 'terminal-reversal')).kind).toBe(
      'not-needed',
    );
    expect((await t.engine.cancellation.requestCancel('nope', 'terminal-reversal')).kind).toBe('not-found');
    expect(t.db.outbox).toHaveLength(0);
  });

  it("records the reversal worker's outcomes: retries in history, gave-up on the manual list, then cancelled", async () => {
    const payment = await approved();
    await t.engine.cancellation.requestCancel(payment.id, 'operator');
    await t.engine.cancellation.recordCancelOutcome(payment.paymentRequestId, {
      kind: 'retrying',
      detail: 'SYSTEM_ERROR',
    });
    expect(t.db.payment(payment.id)!.state).toBe('CANCEL_REQUESTED');
    await t.engine.cancellation.recordCancelOutcome(payment.paymentRequestId, {
      kind: 'gave-up',
      detail: 'retries exhausted',
    });
    expect(t.db.payment(payment.id)).toMatchObject({ state: 'CANCEL_REQUESTED', manualIntervention: true });
    await t.engine.cancellation.recordCancelOutcome(payment.paymentRequestId, {
      kind: 'cancelled',
      detail: 'by operator',
    });
    expect(t.db.payment(payment.id)).toMatchObject({ state: 'CANCELLED', manualIntervention: false });
    const notes = t.db
      .historyOf(payment.id)
      .filter((e) => e.type === 'NOTE')
      .map((e) => e.detail);
    expect(notes).toEqual(
      expect.arrayContaining(['cancel retry: SYSTEM_ERROR', 'cancel gave up: retries exhausted']),
    );
    await expect(
      t.engine.cancellation.recordCancelOutcome('unknown', { kind: 'cancelled' }),
    ).rejects.toBeInstanceOf(PaymentNotFoundError);
  });

  it('records a give-up with its reason on the manual-intervention list, dead letters naming no payment included', async () => {
    const manual = new InMemoryManualInterventions();
    t.engine.dispose();
    t = createTestEngine({ manualInterventions: manual });
    const payment = await approved();
    await t.engine.cancellation.requestCancel(payment.id, 'terminal-reversal');

    const flagged = await t.engine.cancellation.recordCancelOutcome(t.db.payment(payment.id)!, {
      kind: 'gave-up',
      reason: 'retries-exhausted',
      detail: 'no confirmation after 15 attempts',
    });
    expect(flagged).toMatchObject({ state: 'CANCEL_REQUESTED', manualIntervention: true });
    // The same order dead-lettered afterwards adds neither an entry nor a history line.
    const lines = t.db.historyOf(payment.id).length;
    await t.engine.cancellation.recordCancelOutcome(payment.paymentRequestId, {
      kind: 'gave-up',
      reason: 'dead-letter',
      detail: 'gave up after 15 attempts',
    });
    expect(t.db.historyOf(payment.id)).toHaveLength(lines);
    expect(
      await t.engine.cancellation.recordCancelOutcome('UNKNOWN-KEY', {
        kind: 'gave-up',
        reason: 'dead-letter',
        detail: 'no reason given',
      }),
    ).toBeUndefined();
    expect(manual.entries.map((e) => [e.paymentRequestId, e.paymentId, e.reason])).toEqual([
      [payment.paymentRequestId, payment.id, 'retries-exhausted'],
      ['UNKNOWN-KEY', undefined, 'dead-letter'],
    ]);
  });

  it('keeps every Alipay call of a cancel attempt in the history', async () => {
    const payment = await approved();
    await t.engine.cancellation.requestCancel(payment.id, 'terminal-reversal');
    const at = new Date();
    await t.engine.cancellation.recordCancelOutcome(
      payment.paymentRequestId,
      { kind: 'retrying', detail: 'cancel window passed; refund unknown' },
      [
        {
          api: 'cancel',
          requestId: payment.paymentRequestId,
          at,
          outcome: outcomes.failure('cancel-window-exceeded', 'CANCEL_WINDOW_EXCEED'),
        },
        {
          api: 'refund',
          requestId: `C${payment.paymentRequestId}`,
          at,
          outcome: outcomes.unknown('timeout'),
        },
      ],
    );
    const calls = t.db
      .historyOf(payment.id)
      .filter((e) => e.type === 'ALIPAY_CALL')
      .map((e) => [e.outcome, e.code, e.requestId]);
    expect(calls.slice(-2)).toEqual([
      ['failure', 'CANCEL_WINDOW_EXCEED', payment.paymentRequestId],
      ['unknown', 'timeout', `C${payment.paymentRequestId}`],
    ]);
  });

  it('finds the original of a legacy reversal by terminal, merchant and STAN, newest first', async () => {
    const payment = await approved();
    const found = await t.engine.cancellation.requestCancelOf(
      { kind: 'terminal-stan', stan: payment.stan },
      payment.merchantId,
      payment.terminalId,
      'terminal-reversal',
    );
    expect(found.kind).toBe('requested');
    const otherMerchant = await t.engine.cancellation.requestCancelOf(
      { kind: 'terminal-stan', stan: payment.stan },
      'MERCHANT0000099',
      payment.terminalId,
      'terminal-reversal',
    );
    expect(otherMerchant.kind).toBe('not-found');
  });
});
