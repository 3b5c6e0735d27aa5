import { asciiDialect, Field, IsoMessage, nacBcdDialect, type FieldValue } from '@switch/iso8583';
import type { IsoRequest } from '../../terminal/iso-request';
import { createTestEngine, localDateTime, outcomes, TEST_PAYMENT_CODE, type TestEngine } from '../testing';
import { silentLog } from '../application/ports/log.port';
import { FinancialHandler } from './financial-handler';

const T0 = new Date('2025-01-15T10:00:00.000Z');

describe('FinancialHandler (ISO 0100/0200)', () => {
  let t: TestEngine;
  let handler: FinancialHandler;
  let stan = 0;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] });
    t = createTestEngine();
    handler = new FinancialHandler(t.engine, silentLog);
  });
  afterEach(() => {
    t.engine.dispose();
    jest.useRealTimers();
  });

  interface Sent {
    request: IsoRequest;
    deliver(ok: boolean): void;
  }

  function send(fields: Record<number, FieldValue | undefined>, mti = '0200'): Sent {
    const now = new Date();
    const when = localDateTime(now);
    stan += 1;
    const base: Record<number, FieldValue> = {
      [Field.ProcessingCode]: '000000',
      [Field.AmountTransaction]: '000000001000',
      [Field.Stan]: String(stan).padStart(6, '0'),
      [Field.LocalTime]: when.slice(4),
      [Field.LocalDate]: when.slice(0, 4),
      [Field.TerminalId]: 'TERM0001',
      [Field.MerchantId]: t.merchant.merchantId,
      [Field.AdditionalDataPrivate]: TEST_PAYMENT_CODE,
      [Field.CurrencyCode]: '840',
    };
    const message = new IsoMessage(mti);
    for (const [key, value] of Object.entries({ ...base, ...fields }))
      if (value !== undefined) message.set(Number(key), value);
    let deliver!: (ok: boolean) => void;
    const delivery = new Promise<boolean>((resolve) => (deliver = resolve));
    const request: IsoRequest = {
      message,
      terminal: {
        terminalId: 'TERM0001',
        merchantId: t.merchant.merchantId,
        dialect: 'ascii',
        status: 'active',
        merchantTimeoutMs: 60_000,
      },
      dialect: 'ascii',
      receivedAt: now,
      deadlineAt: now.getTime() + 60_000,
      repeat: mti.endsWith('1'),
      connectionId: 'conn-1',
      delivery,
    };
    return { request, deliver };
  }

  it('approves a purchase with a full receipt, in a reply both dialects can encode', async () => {
    t.channel.script('pay', outcomes.success('2025011522001400000000000042'));
    const sent = send({});
    const reply = await handler.handle(sent.request);

    expect(reply.mti).toBe('0210');
    expect(reply.get(Field.ResponseCode)).toBe('00');
    expect(reply.get(Field.Rrn)).toMatch(/^[0-9A-Z]{12}$/);
    expect(reply.get(Field.AuthorizationCode)).toMatch(/^\d{6}$/);
    expect(reply.get(Field.AdditionalResponseData)).toBe('Approved');
    expect(reply.get(Field.ReservedPrivate62)).toBe('2025011522001400000000000042');
    expect(reply.get(Field.ReservedPrivate63)).toMatch(/^\d{14}TERM0001000000001000\d{6}[0-9a-f]{16}$/);
    for (const field of [3, 4, 11, 12, 13, 41, 42, 49])
      expect(reply.get(field)).toBe(sent.request.message.get(field));
    expect(reply.has(Field.AdditionalDataPrivate)).toBe(false);
    for (const dialect of [asciiDialect, nacBcdDialect]) {
      expect(
        dialect.decodeFrame(dialect.encodeFrame(reply).subarray(2)).message.get(Field.ReservedPrivate63),
      ).toBe(reply.get(Field.ReservedPrivate63));
    }

    sent.deliver(true);
    await jest.advanceTimersByTimeAsync(0);
    expect([...t.db.paymentRows.values()][0]).toMatchObject({ state: 'APPROVED', delivery: 'delivered' });
  });

  it('reports an undelivered approval, which the gateway timeout then cancels', async () => {
    t.channel.script('pay', outcomes.success());
    const sent = send({});
    await handler.handle(sent.request);
    sent.deliver(false);
    await jest.advanceTimersByTimeAsync(75_000);
    expect([...t.db.paymentRows.values()][0].state).toBe('CANCEL_REQUESTED');
  });

  it('answers 0100 with 0110', async () => {
    t.channel.script('pay', outcomes.success());
    expect((await handler.handle(send({}, '0100').request)).mti).toBe('0110');
  });

  it.each<[string, string, Record<number, string | undefined>]>([
    ['no STAN', '30', { [Field.Stan]: undefined }],
    ['a bad local time', '30', { [Field.LocalTime]: '250000' }],
    ['a bad local date', '30', { [Field.LocalDate]: '1301' }],
    ['no payment code', '30', { [Field.AdditionalDataPrivate]: undefined }],
    ['no amount', '30', { [Field.AmountTransaction]: undefined }],
    ['another merchant in 42', '58', { [Field.MerchantId]: 'M99999999999999' }],
    ['an unknown operation', '12', { [Field.ProcessingCode]: '400000' }],
    ['a zero amount', '13', { [Field.AmountTransaction]: '000000000000' }],
    ['a non-numeric amount', '13', { [Field.AmountTransaction]: '00000000001A' }],
    ['a malformed currency', '13', { [Field.CurrencyCode]: '84' }],
    ['an unknown currency', '13', { [Field.CurrencyCode]: '999' }],
    ['a payment code with a bad prefix', '14', { [Field.AdditionalDataPrivate]: '123456789012345678' }],
    ['a refund naming no original', '30', { [Field.ProcessingCode]: '200000' }],
    ['a refund of an unknown RRN', '25', { [Field.ProcessingCode]: '200000', [Field.Rrn]: '5015UNKNOWN0' }],
  ])('refuses a request with %s (39=%s) without calling Alipay', async (_name, code, fields) => {
    const reply = await handler.handle(send(fields).request);
    expect(reply.get(Field.ResponseCode)).toBe(code);
    expect(reply.get(Field.AdditionalResponseData)!.length).toBeLessThanOrEqual(25);
    expect(reply.has(Field.AuthorizationCode)).toBe(false);
    expect(t.channel.calls).toHaveLength(0);
  });

  it('maps a decline to its code and keeps the receipt fields', async () => {
    t.channel.script('pay', outcomes.failure('insufficient-balance', 'USER_BALANCE_NOT_ENOUGH'));
    const reply = await handler.handle(send({}).request);
    expect(reply.get(Field.ResponseCode)).toBe('51');
    expect(reply.get(Field.AdditionalResponseData)).toBe('Insufficient balance');
    expect(reply.get(Field.Rrn)).toHaveLength(12);
    expect(reply.has(Field.AuthorizationCode)).toBe(false);
  });

  it('gives a 0201 repeat the original answer without a second payment, and 94 to a changed one', async () => {
    t.channel.script('pay', outcomes.success());
    const sent = send({});
    const first = await handler.handle(sent.request);
    const repeat = send(
      {
        [Field.Stan]: sent.request.message.get(Field.Stan),
        [Field.LocalTime]: sent.request.message.get(Field.LocalTime),
      },
      '0201',
    );
    const again = await handler.handle(repeat.request);
    expect(again.mti).toBe('0210');
    for (const field of [37, 38, 39, 62, 63]) expect(again.get(field)).toBe(first.get(field));
    const changed = send(
      {
        [Field.Stan]: sent.request.message.get(Field.Stan),
        [Field.LocalTime]: sent.request.message.get(Field.LocalTime),
        [Field.AmountTransaction]: '000000002000',
      },
      '0201',
    );
    expect((await handler.handle(changed.request)).get(Field.ResponseCode)).toBe('94');
    expect(t.channel.callsOf('pay')).toHaveLength(1);
  });

  it('refunds by field 90 and answers a status inquiry by field 37', async () => {
    t.channel.script('pay', outcomes.success('ALI-1'));
    const purchase = send({});
    const paid = await handler.handle(purchase.request);
    purchase.deliver(true);
    await jest.advanceTimersByTimeAsync(0);

    t.channel.script('refund', outcomes.success('REFUND-1'));
    const original = purchase.request.message;
    const field90 =
      `0200${original.get(Field.Stan)}${original.get(Field.LocalDate)}${original.get(Field.LocalTime)}`.padEnd(
        42,
        '0',
      );
    const refund = await handler.handle(
      send({
        [Field.ProcessingCode]: '200000',
        [Field.AmountTransaction]: '000000000400',
        [Field.OriginalDataElements]: field90,
        [Field.AdditionalDataPrivate]: undefined,
      }).request,
    );
    expect(refund.get(Field.ResponseCode)).toBe('00');
    expect(refund.get(Field.ReservedPrivate63)).toMatch(/^RF/);
    expect(refund.get(Field.Rrn)).not.toBe(paid.get(Field.Rrn));

    const inquiry = await handler.handle(
      send({
        [Field.ProcessingCode]: '310000',
        [Field.Rrn]: paid.get(Field.Rrn),
        [Field.AmountTransaction]: undefined,
        [Field.AdditionalDataPrivate]: undefined,
      }).request,
    );
    expect(inquiry.get(Field.ResponseCode)).toBe('00');
    for (const field of [37, 38, 62, 63]) expect(inquiry.get(field)).toBe(paid.get(field));
  });

  it('answers 96 when the engine fails', async () => {
    t.db.failNextWrite = new Error('database down');
    const reply = await handler.handle(send({}).request);
    expect(reply.get(Field.ResponseCode)).toBe('96');
    expect(t.channel.calls).toHaveLength(0);
  });
});
