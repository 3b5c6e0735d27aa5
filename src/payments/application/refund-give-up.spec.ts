import type {
  ManualIntervention,
  ManualInterventionRequest,
  ManualInterventions,
} from './ports/manual-interventions.port';
import { createTestEngine, outcomes, type TestEngine } from '../testing';

const T0 = new Date('2025-01-15T10:00:00.000Z');

/** The operators' list, as the engine sees it (the TypeORM store keeps one open entry per key too). */
class RecordedInterventions implements ManualInterventions {
  readonly entries: ManualInterventionRequest[] = [];
  open(request: ManualInterventionRequest): Promise<void> {
    if (!this.entries.some((e) => e.paymentRequestId === request.paymentRequestId)) this.entries.push(request);
    return Promise.resolve();
  }
  listOpen(): Promise<ManualIntervention[]> {
    return Promise.resolve(this.entries.map((e, i) => ({ ...e, id: String(i + 1) })));
  }
  resolve(): Promise<void> {
    return Promise.resolve();
  }
}

describe('a refund that gives up', () => {
  let t: TestEngine;
  let list: RecordedInterventions;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] });
    list = new RecordedInterventions();
    t = createTestEngine({
      config: { refundRetryIntervalMs: 7_500, refundRetryWindowMs: 60_000 },
      manualInterventions: list,
    });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  it('lands on the manual-intervention list the operators read, not only on its own flag', async () => {
    const payment = await t.approvedPayment();
    t.channel.otherwise('refund', outcomes.unknown('timeout'));

    const answer = t.engine.refund.refund(t.refund({ kind: 'rrn', rrn: payment.rrn }, { amountMinor: 300 }));
    await jest.advanceTimersByTimeAsync(70_000);
    expect((await answer).outcome.kind).toBe('in-doubt');

    const refund = [...t.db.refundRows.values()][0];
    expect(refund).toMatchObject({ state: 'PENDING', manualIntervention: true });
    expect(await list.listOpen()).toEqual([
      expect.objectContaining({
        paymentId: payment.id,
        paymentRequestId: refund.refundRequestId,
        reason: 'refund-unconfirmed',
        detail: expect.stringContaining(`refund of 300 (minor units) of payment ${payment.paymentRequestId}`),
      }),
    ]);
  });
  it('is driven again by hand with its own refundRequestId: one call, no automatic retries after it', async () => {
    const payment = await t.approvedPayment();
    t.channel.otherwise('refund', outcomes.unknown('timeout'));
    const answer = t.engine.refund.refund(t.refund({ kind: 'rrn', rrn: payment.rrn }, { amountMinor: 300 }));
    await jest.advanceTimersByTimeAsync(70_000);
    await answer;
    const given = [...t.db.refundRows.values()][0];
    const callsBefore = t.channel.callsOf('refund').length;

    const stillUnknown = await t.engine.refundAttempts.retryByHand(given.id);
    expect(stillUnknown).toMatchObject({ state: 'PENDING', manualIntervention: true, attempts: given.attempts + 1 });
    await jest.advanceTimersByTimeAsync(70_000);
    expect(t.channel.callsOf('refund')).toHaveLength(callsBefore + 1);

    t.channel.otherwise('refund', outcomes.success('REFUND-1'));
    const confirmed = await t.engine.refundAttempts.retryByHand(given.id);
    expect(confirmed).toMatchObject({ state: 'SUCCEEDED', manualIntervention: false });
    const calls = t.channel.callsOf('refund');
    expect(calls).toHaveLength(callsBefore + 2);
    expect(new Set(calls.map((c) => c.refundRequestId))).toEqual(new Set([given.refundRequestId]));
    expect(t.db.payment(payment.id)).toMatchObject({ refundedMinor: 300, reservedRefundMinor: 0 });

    expect(await t.engine.refundAttempts.retryByHand(given.id)).toMatchObject({ state: 'SUCCEEDED' });
    expect(t.channel.callsOf('refund')).toHaveLength(callsBefore + 2);
  });
});
