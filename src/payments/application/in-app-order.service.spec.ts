import type { CreateOrderOutcome, CreateOrderRequest, InAppOrders } from '@switch/alipay';
import { createTestEngine, InMemoryPaymentsDb, outcomes, ScriptedChannel, type TestEngine } from '../testing';

const NOW = new Date('2025-01-15T10:00:00.000Z');
const BUYER = '2088000011112222';
const raw = { api: 'alipay.trade.create', requestId: 'x', latencyMs: 1 };

/** A scripted in-app API on the scripted channel: each createOrder answers the next outcome. */
function withInApp(channel: ScriptedChannel, answers: CreateOrderOutcome[]): CreateOrderRequest[] {
  const requests: CreateOrderRequest[] = [];
  const inApp: InAppOrders = {
    exchangeAuthCode: () => Promise.resolve({ kind: 'refused', code: 'unused', raw }),
    createOrder: (req) => {
      requests.push(req);
      return Promise.resolve(answers.shift() ?? { kind: 'unknown', cause: 'timeout', detail: 'none scripted' });
    },
  };
  Object.defineProperty(channel, 'inApp', { value: inApp });
  return requests;
}

describe('InAppOrderService', () => {
  let t: TestEngine;
  let db: InMemoryPaymentsDb;
  let channel: ScriptedChannel;
  const order = (overrides = {}) => ({
    merchantId: t.merchant.merchantId,
    terminalId: 'H5ORDERS',
    amountMinor: 6200,
    currencyNumeric: '156',
    buyerId: BUYER,
    subject: 'Garden table T7',
    ...overrides,
  });

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'queueMicrotask'] });
    db = new InMemoryPaymentsDb();
    channel = new ScriptedChannel('openapi');
    t = createTestEngine({ db, channel, config: { inAppTerminalId: 'H5ORDERS' } });
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  it('stores the order, opens the trade for the buyer and lets the inquiries settle it; the approval stays past the gateway timeout', async () => {
    const requests = withInApp(channel, [{ kind: 'created', tradeNo: '2025011522001000000000000001', raw }]);
    channel.script('inquire', outcomes.processing(), outcomes.success('2025011522001000000000000001'));
    const result = await t.engine.inAppOrders.open(order());
    expect(result).toMatchObject({ kind: 'created', tradeNo: '2025011522001000000000000001' });
    const id = result.kind === 'created' ? result.payment.id : '';
    expect(db.payment(id)).toMatchObject({ state: 'AWAITING_ALIPAY', terminalId: 'H5ORDERS', amountMinor: 6200, channel: 'openapi' });
    // The buyer stands where a payment code would, never in clear.
    expect(db.payment(id)?.paymentCodeMasked).toBe('20**********2222');
    expect(requests[0]).toMatchObject({ buyerId: BUYER, amount: { amountMinor: 6200, currency: 'CNY' }, subject: 'Garden table T7' });
    expect(requests[0].paymentRequestId).toBe(db.payment(id)?.paymentRequestId);
    expect(db.historyOf(id).map((e) => e.api)).toContain('alipay.trade.create');

    await jest.advanceTimersByTimeAsync(20_000);
    expect(db.payment(id)).toMatchObject({ state: 'APPROVED', alipayTransactionId: '2025011522001000000000000001' });
    await jest.advanceTimersByTimeAsync(80_000);
    expect(db.payment(id)?.state).toBe('APPROVED');
    expect(db.outbox).toHaveLength(0);
  });

  it('a trade Alipay refuses is declined, with no inquiry', async () => {
    withInApp(channel, [{ kind: 'failure', code: 'ACQ.BUYER_ENABLE_STATUS_FORBID', message: 'x', reason: 'risk-rejected', raw }]);
    const result = await t.engine.inAppOrders.open(order());
    expect(result).toMatchObject({ kind: 'refused', outcome: { kind: 'declined', reason: 'risk-rejected' } });
    expect(result.kind === 'refused' ? result.payment?.state : undefined).toBe('DECLINED');
    await jest.advanceTimersByTimeAsync(20_000);
    expect(channel.callsOf('inquire')).toHaveLength(0);
  });

  it('a lost answer leaves the order in doubt: inquiries run, and the gateway timeout cancels what stays open', async () => {
    withInApp(channel, [{ kind: 'unknown', cause: 'timeout', detail: 'no answer' }]);
    channel.otherwise('inquire', outcomes.processing());
    const result = await t.engine.inAppOrders.open(order());
    expect(result.kind).toBe('in-doubt');
    const id = result.kind === 'in-doubt' ? result.payment.id : '';
    await jest.advanceTimersByTimeAsync(74_000);
    expect(channel.callsOf('inquire').length).toBeGreaterThan(3);
    expect(db.payment(id)?.state).toBe('AWAITING_ALIPAY');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(db.payment(id)).toMatchObject({ state: 'CANCEL_REQUESTED', cancelReason: 'gateway-timeout' });
    expect(db.outbox.map((m) => m.key)).toEqual([db.payment(id)?.paymentRequestId]);
  });

  it('refuses before storing anything: a channel without in-app orders, a bad buyer, amount or currency', async () => {
    expect(await t.engine.inAppOrders.open(order())).toMatchObject({ kind: 'refused', outcome: { kind: 'invalid', problem: 'transaction' } });
    withInApp(channel, []);
    expect(await t.engine.inAppOrders.open(order({ buyerId: '1234' }))).toMatchObject({ outcome: { problem: 'format' } });
    expect(await t.engine.inAppOrders.open(order({ amountMinor: 0 }))).toMatchObject({ outcome: { problem: 'amount' } });
    expect(await t.engine.inAppOrders.open(order({ currencyNumeric: '999' }))).toMatchObject({ outcome: { problem: 'currency' } });
    expect(await t.engine.inAppOrders.open(order({ merchantId: 'NOBODY' }))).toMatchObject({ outcome: { problem: 'merchant-unavailable' } });
    expect(db.paymentRows.size).toBe(0);
  });
});
