import { OriginalLocator } from '../../payments/application/original-locator';
import { createTestEngine, outcomes, type TestEngine } from '../../payments/testing';
import type { EarlyReversal } from '../domain/early-reversal';
import { InMemoryEarlyReversals } from '../testing/in-memory-stores';
import { EarlyReversalCheck } from './early-reversal-check';
import { ReversalService, type ReversalCommand } from './reversal.service';

class HookedEarlyReversals extends InMemoryEarlyReversals {
  beforeStore?: () => Promise<void>;
  override async store(reversal: EarlyReversal) {
    await this.beforeStore?.();
    return super.store(reversal);
  }
}

describe('ReversalService', () => {
  let t: TestEngine;
  let early: HookedEarlyReversals;
  let service: ReversalService;

  beforeEach(() => {
    early = new HookedEarlyReversals();
    const clock = { now: () => new Date() };
    t = createTestEngine({ earlyReversals: new EarlyReversalCheck(early, clock) });
    service = new ReversalService(
      new OriginalLocator(t.db.payments, t.db.refunds),
      t.engine.cancellation,
      early,
      clock,
    );
    t.channel.otherwise('pay', outcomes.success('ALI-1'));
  });
  afterEach(() => t.engine.dispose());

  /** A 0420 naming a purchase by field 90 (or, without `localDateTime`, by STAN only). */
  const advice = (
    original: { stan: string; localDateTime?: string },
    overrides: Partial<ReversalCommand> = {},
  ): ReversalCommand => ({
    terminalId: 'TERM0001',
    merchantId: t.merchant.merchantId,
    reversalMti: '0420',
    stan: original.stan,
    original: {
      mti: '0200',
      stan: original.stan,
      ...(original.localDateTime !== undefined ? { localDateTime: original.localDateTime } : {}),
    },
    localDateTime: '0115100000',
    receivedAt: new Date(),
    ...overrides,
  });

  async function approvedPurchase() {
    const command = t.purchase();
    const answer = await t.engine.purchase.purchase(command);
    await t.deliver(answer);
    return { command, payment: t.db.payment(answer.approvalOf!.id)! };
  }

  it('has the named purchase cancelled once; a repeat is answered the same without a second cancel order', async () => {
    const { command, payment } = await approvedPurchase();
    expect(await service.reverse(advice(command))).toEqual({
      kind: 'accepted',
      paymentId: payment.id,
      repeat: false,
    });
    expect(t.db.payment(payment.id)).toMatchObject({
      state: 'CANCEL_REQUESTED',
      cancelReason: 'terminal-reversal',
    });
    expect(await service.reverse(advice(command, { reversalMti: '0420' }))).toEqual({
      kind: 'accepted',
      paymentId: payment.id,
      repeat: true,
    });
    expect(t.db.outbox).toHaveLength(1);
  });

  it('needs no cancel for a declined purchase', async () => {
    t.channel.script('pay', outcomes.failure('insufficient-balance', 'USER_BALANCE_NOT_ENOUGH'));
    const command = t.purchase();
    await t.engine.purchase.purchase(command);
    expect(await service.reverse(advice(command))).toMatchObject({ kind: 'nothing-to-cancel' });
    expect(t.db.outbox).toHaveLength(0);
  });

  it('refuses to reverse a refund', async () => {
    const { payment } = await approvedPurchase();
    t.channel.script('refund', outcomes.success('REF-1'));
    const refund = t.refund({ kind: 'rrn', rrn: payment.rrn });
    await t.engine.refund.refund(refund);
    expect(await service.reverse(advice(refund))).toEqual({ kind: 'not-reversible' });
  });

  it('finds the purchase by terminal and STAN when field 90 carries no date/time, but only a recent one', async () => {
    const { command, payment } = await approvedPurchase();
    expect(await service.reverse(advice({ stan: command.stan }))).toMatchObject({
      kind: 'accepted',
      paymentId: payment.id,
    });
    const { command: old } = await approvedPurchase();
    const twoDaysLater = new Date(Date.now() + 48 * 3_600_000);
    expect(await service.reverse(advice({ stan: old.stan }, { receivedAt: twoDaysLater }))).toEqual({
      kind: 'stored-early',
      repeat: false,
    });
  });

  it('stores a reversal of an unseen purchase once; the purchase is then refused without calling Alipay', async () => {
    const command = t.purchase();
    expect(await service.reverse(advice(command))).toEqual({ kind: 'stored-early', repeat: false });
    expect(await service.reverse(advice(command, { reversalMti: '0420' }))).toEqual({
      kind: 'stored-early',
      repeat: true,
    });
    expect(early.rows.size).toBe(1);

    const answer = await t.engine.purchase.purchase(command);
    expect(answer.outcome).toMatchObject({ kind: 'declined', reason: 'declined' });
    expect(t.channel.callsOf('pay')).toHaveLength(0);
    const [reversal] = early.rows.values();
    expect(reversal.matchedPaymentId).toBeDefined();
    // The terminal's advice arrives again: the purchase it names is known now, and declined.
    expect(await service.reverse(advice(command))).toMatchObject({ kind: 'nothing-to-cancel' });
  });

  it('cancels a purchase stored between its first look and the store (the race the second look closes)', async () => {
    const command = t.purchase();
    early.beforeStore = async () => {
      early.beforeStore = undefined;
      await t.engine.purchase.purchase(command); // finds no stored reversal: it is paid
    };
    const outcome = await service.reverse(advice(command));
    expect(outcome).toMatchObject({ kind: 'accepted', repeat: false });
    const [payment] = t.db.paymentRows.values();
    expect(t.db.payment(payment.id)!.state).toBe('CANCEL_REQUESTED');
    expect([...early.rows.values()][0].matchedPaymentId).toBe(payment.id);
  });
});
