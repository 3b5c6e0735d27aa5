import type { MerchantRefundLimits, RefundAllowance } from './ports/refund-allowance.port';
import { createTestEngine, outcomes, type TestEngine } from '../testing';

const T0 = new Date('2025-01-15T10:00:00.000Z');

/** Records what each refund asked of the allowance, and refuses past a count (as the SQL one does). */
class RecordingAllowance implements RefundAllowance {
  readonly asked: Array<MerchantRefundLimits | undefined> = [];
  private taken = 0;
  take(_merchantId: string, _amountMinor: number, _at: Date, own?: MerchantRefundLimits): Promise<boolean> {
    this.asked.push(own);
    const ok = own?.refundDailyMaxCount === undefined || this.taken < own.refundDailyMaxCount;
    if (ok) this.taken += 1;
    return Promise.resolve(ok);
  }
  giveBack(): Promise<void> {
    this.taken -= 1;
    return Promise.resolve();
  }
}

describe('a merchant’s own limits', () => {
  let t: TestEngine;
  let allowance: RecordingAllowance;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] });
    allowance = new RecordingAllowance();
    t = createTestEngine({
      merchant: { limits: { purchaseMaxMinor: 5_000, refundDailyMaxCount: 1 } },
      refundAllowance: allowance,
    });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  it('declines a purchase above the maximum as over the limit, before anything is stored or sent', async () => {
    t.channel.otherwise('pay', outcomes.success('ALIPAY-TX-1'));
    const over = await t.engine.purchase.purchase(t.purchase({ amountMinor: 5_001 }));
    expect(over.outcome).toEqual({ kind: 'declined', reason: 'amount-limit' });
    expect(t.channel.callsOf('pay')).toHaveLength(0);
    expect(t.db.paymentRows.size).toBe(0);

    const atMax = await t.engine.purchase.purchase(t.purchase({ amountMinor: 5_000 }));
    expect(atMax.outcome.kind).toBe('approved');
    expect(t.channel.callsOf('pay')).toHaveLength(1);
  });

  it('hands the merchant’s refund limits to the daily allowance, which refuses past them', async () => {
    t.channel.otherwise('pay', outcomes.success('ALIPAY-TX-1'));
    t.channel.otherwise('refund', outcomes.success('ALIPAY-REFUND-1'));
    const paid = await t.engine.purchase.purchase(t.purchase({ amountMinor: 3_000 }));
    await t.deliver(paid, true);
    const rrn = t.db.payment(paid.approvalOf!.id)!.rrn;

    expect((await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 100 }))).outcome.kind).toBe('approved');
    const second = await t.engine.refund.refund(t.refund({ kind: 'rrn', rrn }, { amountMinor: 100 }));
    expect(second.outcome).toEqual({ kind: 'declined', reason: 'amount-limit' });
    expect(allowance.asked).toEqual([
      { purchaseMaxMinor: 5_000, refundDailyMaxCount: 1 },
      { purchaseMaxMinor: 5_000, refundDailyMaxCount: 1 },
    ]);
    expect(t.channel.callsOf('refund')).toHaveLength(1);
  });
});
