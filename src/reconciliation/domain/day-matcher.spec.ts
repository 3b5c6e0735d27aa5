import type { StatementLine } from '@switch/alipay';
import { DayMatcher } from './day-matcher';
import type { SwitchPaymentRecord } from './switch-records';

const dayEnd = new Date('2026-03-05T00:00:00Z');
const at = new Date('2026-03-04T10:00:00Z');
const approved = (id: string, amountMinor = 1000): SwitchPaymentRecord => ({
  paymentRequestId: id,
  state: 'APPROVED',
  delivered: true,
  amountMinor,
  currency: 'USD',
  updatedAt: at,
});
const paid = (id: string, amountMinor = 1000, alipayTransactionId?: string): StatementLine => ({
  kind: 'payment',
  requestId: id,
  amountMinor,
  currency: 'USD',
  at,
  ...(alipayTransactionId ? { alipayTransactionId } : {}),
});

describe('DayMatcher', () => {
  it('counts agreeing payments and names each kind of difference with both sides', () => {
    const m = new DayMatcher(dayEnd);
    m.addSwitchRecords([
      approved('A'),
      approved('B'),
      approved('C'),
      { ...approved('D'), state: 'DECLINED' },
    ]);
    m.addLine(paid('A'));
    m.addLine(paid('B', 1001));
    m.addLine(paid('D'));
    const r = m.finish();
    expect(r.paymentsMatched).toBe(1);
    expect(r.differences.map((d) => [d.kind, d.reference, d.switchSide, d.alipaySide])).toEqual([
      ['amount-mismatch', 'B', 'APPROVED delivered 1000 USD', 'paid 1001 USD'],
      ['missing-at-alipay', 'C', 'APPROVED delivered 1000 USD', 'none'],
      ['orphan-debit', 'D', 'DECLINED 1000 USD', 'paid 1000 USD'],
    ]);
    expect(r.orphans).toEqual([
      expect.objectContaining({ reference: 'D', amountMinor: 1000, switchState: 'DECLINED' }),
    ]);
  });

  it('takes a cancel line, or the full refund a cancel makes past its window, as the money given back', () => {
    const m = new DayMatcher(dayEnd);
    const cancelled = { ...approved('P1'), state: 'CANCELLED' as const };
    m.addSwitchRecords([cancelled, { ...cancelled, paymentRequestId: 'P2' }]);
    m.addLine(paid('P1'));
    m.addLine({ kind: 'cancel', requestId: 'P1', amountMinor: 1000, currency: 'USD', at });
    m.addLine(paid('P2'));
    m.addLine({
      kind: 'refund',
      requestId: 'CP2',
      paymentRequestId: 'P2',
      amountMinor: 1000,
      currency: 'USD',
      at,
    });
    expect(m.finish()).toMatchObject({ paymentsMatched: 2, differences: [] });
  });

  it('leaves to a later file the cancel of a payment the switch cancelled after the day ended', () => {
    const m = new DayMatcher(dayEnd);
    m.addSwitchRecords([{ ...approved('P'), state: 'CANCELLED', updatedAt: new Date(dayEnd.getTime() + 1) }]);
    m.addLine(paid('P'));
    expect(m.finish().differences).toEqual([]);
  });

  it('asks for ids it was not given, and resolves MAPI cancels by Alipay transaction id', () => {
    const m = new DayMatcher(dayEnd);
    m.expectCancelsByAlipayId();
    m.addLine(paid('OLD', 1000, 'T-OLD'));
    m.addLine({ kind: 'cancel', alipayTransactionId: 'T-OLD', amountMinor: 1000, currency: 'USD', at });
    m.addLine({ kind: 'cancel', alipayTransactionId: 'T-ELSEWHERE', amountMinor: 500, currency: 'USD', at });
    m.addLine({ kind: 'refund', requestId: 'RF1', amountMinor: 300, currency: 'USD', at });
    expect(m.unresolvedRequestIds()).toEqual({
      payments: ['OLD'],
      refunds: ['RF1'],
      alipayTransactionIds: ['T-ELSEWHERE'],
    });
    m.addSwitchRecords(
      [{ ...approved('OLD'), state: 'CANCELLED' }, approved('ELSEWHERE', 500)],
      [{ refundRequestId: 'RF1', state: 'SUCCEEDED', amountMinor: 300, currency: 'USD' }],
    );
    m.addAlipayTransactionIds([{ alipayTransactionId: 'T-ELSEWHERE', paymentRequestId: 'ELSEWHERE' }]);
    const r = m.finish();
    expect(r.refundsMatched).toBe(1);
    // ELSEWHERE was paid on another day and cancelled at Alipay today, yet the switch holds it approved.
    expect(r.differences.map((d) => [d.kind, d.reference])).toEqual([['missing-at-alipay', 'ELSEWHERE']]);
  });

  it('reports a refund the two sides disagree on, and one only Alipay has', () => {
    const m = new DayMatcher(dayEnd);
    m.addSwitchRecords(
      [],
      [{ refundRequestId: 'RF1', state: 'SUCCEEDED', amountMinor: 500, currency: 'USD' }],
    );
    m.addLine({ kind: 'refund', requestId: 'RF1', amountMinor: 400, currency: 'USD', at });
    m.addLine({ kind: 'refund', requestId: 'RF2', amountMinor: 100, currency: 'USD', at });
    expect(m.finish().differences.map((d) => [d.kind, d.reference, d.switchSide, d.alipaySide])).toEqual([
      ['refund-difference', 'RF1', 'SUCCEEDED 500 USD', 'refunded 400 USD'],
      ['refund-difference', 'RF2', 'none', 'refunded 100 USD'],
    ]);
  });

  it('names a settlement batch whose items do not add up to its summary, besides the line differences', () => {
    const m = new DayMatcher(dayEnd);
    m.addSwitchRecords([approved('A')]);
    m.addLine(paid('A'));
    m.addTotalsMismatch({
      totalsMismatch: true,
      batchId: '2026030400000000001',
      summary: { count: 1, amountMinor: 1007, currency: 'USD' },
      items: { count: 1, amountMinor: 1000, currency: 'USD' },
    });
    const r = m.finish();
    expect(r.paymentsMatched).toBe(1);
    expect(r.differences).toEqual([
      {
        kind: 'settlement-totals',
        reference: 'batch 2026030400000000001',
        switchSide: 'items add up to 1 items, 1000 USD',
        alipaySide: 'summary TOTAL 1 items, 1007 USD',
      },
    ]);
  });
});
