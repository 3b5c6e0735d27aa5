import * as fc from 'fast-check';
import { parseFaults } from '../src/sandbox/faults';
import { SandboxIds } from '../src/sandbox/ids';
import { Ledger, SandboxPayment } from '../src/sandbox/ledger';
import { mapiAccepted, mapiRefusal } from '../src/sandbox/mapi/mapi.xml';
import { currencyExponent, majorToMinor, minorToMajor, parseMinorString } from '../src/sandbox/money';
import { SandboxPayments } from '../src/sandbox/payments';
import { isValidPaymentCode, maskPaymentCode, scenarioOf } from '../src/sandbox/scenario';
import { parseMapiXml } from '../src/sandbox/testing/raw-clients';

// The sandbox's pure parts: money text, payment codes, the state machine, fault parsing, MAPI XML.

describe('money text', () => {
  it.each([
    ['12.34', 2, 1234],
    ['12.3', 2, 1230],
    ['12', 2, 1200],
    ['0.01', 2, 1],
    ['1500', 0, 1500],
    ['1.234', 3, 1234],
  ])('%s with exponent %i is %i minor units', (text, exponent, minor) => {
    expect(majorToMinor(text, exponent)).toBe(minor);
  });

  it.each([
    ['12.345', 2],
    ['1.5', 0],
    ['-1.00', 2],
    ['1e3', 2],
    ['', 2],
    ['12.', 2],
    ['abc', 2],
  ])('refuses %j with exponent %i', (text, exponent) => {
    expect(majorToMinor(text, exponent)).toBeUndefined();
  });

  it('writes minor units back exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999_999_999 }),
        fc.constantFrom(0, 2, 3),
        (minor, exponent) => {
          expect(majorToMinor(minorToMajor(minor, exponent), exponent)).toBe(minor);
        },
      ),
    );
  });

  it('knows the exponents of JPY, KRW, KWD and defaults to 2', () => {
    expect([
      currencyExponent('JPY'),
      currencyExponent('krw'),
      currencyExponent('KWD'),
      currencyExponent('USD'),
    ]).toEqual([0, 0, 3, 2]);
  });

  it('reads AMS minor-unit strings, and only strings of digits', () => {
    expect([
      parseMinorString('1000'),
      parseMinorString(1000),
      parseMinorString('10.00'),
      parseMinorString(''),
    ]).toEqual([1000, undefined, undefined, undefined]);
  });
});

describe('payment codes', () => {
  it.each([
    ['ams', '25' + '0'.repeat(15), true],
    ['ams', '30' + '0'.repeat(30), true],
    ['ams', '28' + '0'.repeat(14), false],
    ['openapi', '28' + '0'.repeat(14), true],
    ['openapi', '28' + '0'.repeat(22), true],
    ['mapi', '28' + '0'.repeat(23), false],
    ['mapi', '24' + '0'.repeat(16), false],
    ['mapi', '31' + '0'.repeat(16), false],
    ['mapi', '28' + '0'.repeat(15) + 'x', false],
  ] as const)('%s: %s valid is %s', (protocol, code, valid) => {
    expect(isValidPaymentCode(code, protocol)).toBe(valid);
  });

  it('picks the scenario by the last three digits', () => {
    expect(
      ['000', '001', '002', '003', '004', '005', '006', '007', '008', '009', '999'].map((s) =>
        scenarioOf(`281234567890123${s}`),
      ),
    ).toEqual([
      'approve',
      'confirm',
      'insufficient-balance',
      'never-completes',
      'no-answer',
      'invalid-code',
      'cancel-flaky',
      'risk-rejected',
      'cancel-window-passed',
      'cancel-status-error',
      'approve',
    ]);
  });

  it('masks all but the wallet prefix and the last four digits', () => {
    expect(maskPaymentCode('281234567890120004')).toBe('28************0004');
  });
});

describe('the payment state machine', () => {
  const notified: string[] = [];
  const ledger = new Ledger();
  const payments = new SandboxPayments(ledger, new SandboxIds(), {
    autoConfirmInquiries: 1,
    now: () => new Date('2024-05-01T00:00:00Z'),
    onFinal: (p: SandboxPayment) => notified.push(`${p.id}:${p.status}`),
  });
  const pay = (id: string, suffix: string) =>
    payments.pay({
      protocol: 'openapi',
      id,
      paymentCode: `2800000000000${suffix}`,
      amountMinor: 500,
      currency: 'CNY',
    });

  it('notifies each final state once, and a 001 payment when the user confirms', () => {
    pay('a', '000');
    pay('b', '002');
    pay('c', '001');
    pay('a', '000');
    expect(payments.inquire('openapi', { id: 'c' })).toMatchObject({
      kind: 'found',
      payment: { status: 'PROCESSING' },
    });
    expect(payments.inquire('openapi', { id: 'c' })).toMatchObject({
      kind: 'found',
      payment: { status: 'SUCCESS' },
    });
    payments.inquire('openapi', { id: 'c' });
    expect(notified).toEqual(['a:SUCCESS', 'b:FAILED', 'c:SUCCESS']);
  });

  it('once cancelled, a payment never becomes anything else', () => {
    pay('d', '001');
    expect(payments.cancel('openapi', { id: 'd' })).toMatchObject({ kind: 'cancelled', action: 'close' });
    payments.inquire('openapi', { id: 'd' });
    payments.inquire('openapi', { id: 'd' });
    expect(pay('d', '001')).toMatchObject({ kind: 'closed' });
    expect(payments.refund('openapi', { id: 'd' }, { refundRequestId: 'r', amountMinor: 1 })).toMatchObject({
      kind: 'not-refundable',
    });
    expect(ledger.find('openapi', { id: 'd' })?.status).toBe('CANCELLED');
  });

  it('finds a payment by Alipay transaction id, which wins over the merchant id', () => {
    pay('e', '000');
    const e = ledger.find('openapi', { id: 'e' });
    expect(ledger.find('openapi', { id: 'a', alipayTransactionId: e?.alipayTransactionId })?.id).toBe('e');
    expect(ledger.find('ams', { id: 'e' })).toBeUndefined();
  });
});

describe('fault sets', () => {
  it('takes the fields given and turns the rest off', () => {
    expect(parseFaults('{"errorRate":0.5}')).toEqual({ latencyMs: 0, errorRate: 0.5, refuseAll: false });
    expect(parseFaults('')).toEqual({ latencyMs: 0, errorRate: 0, refuseAll: false });
  });

  it.each(['{"errorRate":1.1}', '{"latencyMs":1.5}', '{"refuseAll":1}', '[]', '{"x":true}'])(
    'refuses %s',
    (body) => {
      expect(parseFaults(body)).toHaveProperty('error');
    },
  );
});

describe('MAPI XML', () => {
  it('escapes values in the XML but the reader gets the original text back', () => {
    const xml = mapiAccepted(
      { trans_name: 'a&b <c>' },
      { result_code: 'SUCCESS', memo: `"x" & 'y' <z>` },
      'abc',
      'MD5',
    );
    expect(xml).toContain('<param name="trans_name">a&amp;b &lt;c&gt;</param>');
    expect(parseMapiXml(xml)).toEqual({
      isSuccess: 'T',
      error: undefined,
      fields: { result_code: 'SUCCESS', memo: `"x" & 'y' <z>` },
      sign: 'abc',
      signType: 'MD5',
    });
  });

  it('writes a refusal with no sign', () => {
    expect(mapiRefusal('ILLEGAL_SIGN')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><alipay><is_success>F</is_success><error>ILLEGAL_SIGN</error></alipay>',
    );
  });
});
