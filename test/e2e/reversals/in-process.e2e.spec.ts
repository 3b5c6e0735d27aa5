/**
 * Reversals without Kafka (the embedded default): the switch on its SQLite file with the in-process cancel
 * queue, the sandbox over HTTP, a POS over a real socket. Retry waits are shrunk to tens of milliseconds.
 */
import { Field } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase, reversal, transmissionDateTime } from '../../../tools/pos/messages';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { cancelRefundRequestId } from '../../../src/reversals/domain/cancel-verdict';
import { alipayCalls, buy, paymentRow, reversalOf } from './reversal-helpers';

export const TEST_RETRY_POLICY = {
  CANCEL_RETRY_INTERVAL_MS: '50',
  CANCEL_RETRY_WINDOW_MS: '150',
  CANCEL_BACKOFF_MS: '100,200',
  OUTBOX_POLL_INTERVAL_MS: '200',
  LOG_LEVEL: 'warn',
};

describe('reversals with the in-process cancel queue (embedded SQLite)', () => {
  let sut: SwitchUnderTest;
  let pos: PosClient;

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite', TEST_RETRY_POLICY);
    pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
  });

  afterAll(async () => {
    await pos?.close();
    await sut?.stop();
  });

  it('answers a reversal advice 0430 with 00 and cancels the payment at Alipay', async () => {
    const bought = await buy(pos, '000');
    expect(bought.reply.get(Field.ResponseCode)).toBe('00');

    const answer = await pos.send(reversalOf(bought));
    expect(answer.mti).toBe('0430');
    expect(answer.get(Field.ResponseCode)).toBe('00');
    expect(answer.get(Field.Stan)).toBe(bought.stan);
    expect(answer.get(Field.OriginalDataElements)).toMatch(new RegExp(`^0200${bought.stan}`));

    await eventually(async () =>
      (await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status === 'CANCELLED'
        ? true
        : undefined,
    );
    const row = await eventually(async () => {
      const p = await paymentRow(sut.running.dataSource, bought.paymentRequestId);
      return p?.state === 'CANCELLED' ? p : undefined;
    });
    expect(row.cancelReason).toBe('terminal-reversal');
  });

  it('answers a 0400 with 0410 and needs no cancel for a declined original', async () => {
    const bought = await buy(pos, '002');
    expect(bought.reply.get(Field.ResponseCode)).toBe('51');
    const answer = await pos.send(reversalOf(bought, { advice: false }));
    expect(answer.mti).toBe('0410');
    expect(answer.get(Field.ResponseCode)).toBe('00');
    expect(answer.get(Field.AdditionalResponseData)).toBe('Original declined');
    expect((await paymentRow(sut.running.dataSource, bought.paymentRequestId))?.state).toBe('DECLINED');
  });

  it('keeps retrying a cancel Alipay cannot answer (006) until it is confirmed, every attempt in the history', async () => {
    const bought = await buy(pos, '006');
    expect((await pos.send(reversalOf(bought))).get(Field.ResponseCode)).toBe('00');
    const row = await eventually(async () => {
      const p = await paymentRow(sut.running.dataSource, bought.paymentRequestId);
      return p?.state === 'CANCELLED' ? p : undefined;
    });
    const cancels = (await alipayCalls(sut.running.dataSource, row.id)).filter(
      (e) => e.requestId === bought.paymentRequestId && /cancel/i.test(e.api ?? ''),
    );
    expect(cancels.map((e) => e.outcome)).toEqual(['unknown', 'unknown', 'unknown', 'success']);
  });

  it.each(['ams', 'openapi', 'mapi'] as const)(
    'refunds in full, once, when Alipay says the cancel window has passed (008, %s)',
    async (channel) => {
      const bought = await buy(pos, '008', channel);
      expect(bought.reply.get(Field.ResponseCode)).toBe('00');
      expect((await pos.send(reversalOf(bought))).get(Field.ResponseCode)).toBe('00');

      const row = await eventually(async () => {
        const p = await paymentRow(sut.running.dataSource, bought.paymentRequestId);
        return p?.state === 'CANCELLED' ? p : undefined;
      });
      const atAlipay = await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId);
      expect(atAlipay).toMatchObject({ status: 'REFUNDED', refundedMinor: bought.amountMinor });
      const undoing = (await alipayCalls(sut.running.dataSource, row.id)).filter((e) =>
        /cancel|refund/i.test(e.api ?? ''),
      );
      // `api` is the channel's own name for the call (an AMS path, an Open Platform or MAPI method).
      const kind = (api: string | null): string => (/cancel/i.test(api ?? '') ? 'cancel' : 'refund');
      expect(undoing.map((e) => [kind(e.api), e.outcome])).toEqual([
        ['cancel', 'failure'],
        ['refund', 'success'],
      ]);
      expect(undoing[1].requestId).toBe(cancelRefundRequestId(bought.paymentRequestId));
      expect(atAlipay!.calls.filter((c) => /refund/i.test(c.api))).toHaveLength(1);
    },
  );

  it.each(['ams', 'openapi', 'mapi'] as const)(
    'does not take a generic trade-status error for a closed payment: inquires, cancels again (009, %s)',
    async (channel) => {
      const bought = await buy(pos, '009', channel);
      expect(bought.reply.get(Field.ResponseCode)).toBe('00');
      expect((await pos.send(reversalOf(bought))).get(Field.ResponseCode)).toBe('00');

      const row = await eventually(async () => {
        const p = await paymentRow(sut.running.dataSource, bought.paymentRequestId);
        return p?.state === 'CANCELLED' ? p : undefined;
      });
      // Alipay let go of the money: the second cancel, sent because the inquiry showed it paid, undid it.
      const atAlipay = await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId);
      expect(atAlipay).toMatchObject({ status: 'CANCELLED', cancelAction: 'refund' });
      const calls = (await alipayCalls(sut.running.dataSource, row.id)).filter(
        (e) => e.requestId === bought.paymentRequestId,
      );
      const kind = (api: string | null): string =>
        /cancel/i.test(api ?? '') ? 'cancel' : /inquir|query/i.test(api ?? '') ? 'inquire' : 'pay';
      expect(calls.filter((e) => kind(e.api) !== 'pay').map((e) => [kind(e.api), e.outcome])).toEqual([
        ['cancel', 'failure'],
        ['inquire', 'success'],
        ['cancel', 'success'],
      ]);
    },
  );

  it('finds the original by terminal and STAN when field 90 does not say when it was sent', async () => {
    const bought = await buy(pos, '000', 'openapi');
    const legacy = reversal({ ...bought.terminal, originalStan: bought.stan, advice: true }); // 90 with a zero date/time
    expect((await pos.send(legacy)).get(Field.ResponseCode)).toBe('00');
    await eventually(async () =>
      (await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status === 'CANCELLED'
        ? true
        : undefined,
    );
  });

  it('stores a reversal of an unseen purchase, then declines that purchase without calling Alipay', async () => {
    const terminal = demoTerminal('mapi', 'ascii', 1);
    const stan = nextStan();
    const at = new Date(Date.now() - 1_000);
    const early = reversal({
      ...terminal,
      originalStan: stan,
      amountMinor: 777,
      originalTransmission: transmissionDateTime(at),
      advice: true,
      at,
    });
    const answer = await pos.send(early);
    expect(answer.get(Field.ResponseCode)).toBe('00');
    expect(answer.get(Field.AdditionalResponseData)).toBe('Reversal stored');
    // The terminal repeats its advice: answered the same, stored once.
    expect(
      (
        await pos.send(
          reversal({
            ...terminal,
            originalStan: stan,
            amountMinor: 777,
            originalTransmission: transmissionDateTime(at),
            advice: true,
            repeat: true,
            at,
          }),
        )
      ).get(Field.ResponseCode),
    ).toBe('00');

    const late = await pos.send(
      purchase({ ...terminal, stan, at, amountMinor: 777, paymentCode: paymentCode('000') }),
    );
    expect(late.get(Field.ResponseCode)).toBe('05');
    const paymentRequestId = late.get(Field.ReservedPrivate63)!;
    expect((await paymentRow(sut.running.dataSource, paymentRequestId))?.failureCode).toBe(
      'REVERSED_BEFORE_ARRIVAL',
    );
    expect(await sandboxPayment(sut.sandboxUrl, paymentRequestId)).toBeUndefined();
  });

  it('answers a format error 30 and a foreign merchant 58', async () => {
    const terminal = demoTerminal('ams', 'ascii', 2);
    const badNinety = reversal({ ...terminal, originalStan: 2, advice: true }).set(
      Field.OriginalDataElements,
      `0800${'0'.repeat(38)}`,
    );
    expect((await pos.send(badNinety)).get(Field.ResponseCode)).toBe('30');
    const foreign = reversal({ ...terminal, merchantId: 'MERCHANT0000002', originalStan: 3, advice: true });
    expect((await pos.send(foreign)).get(Field.ResponseCode)).toBe('58');
  });
});
