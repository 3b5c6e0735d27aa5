import type { ChannelRaw, PayRequest } from '../src/channel.port';
import { AMS_FAILURE_REASONS, amsFailureReason } from '../src/ams/ams.codes';
import { amsPayBody, amsRefundBody, AmsOperation, mapAmsResponse, parseAmsNotification } from '../src/ams/ams.mapper';
import { FAILURE_MESSAGES } from '../src/outcome';

const raw = (resultCode?: string): ChannelRaw => ({ api: 'x', requestId: 'r', latencyMs: 1, ...(resultCode ? { resultCode } : {}) });
const result = (resultStatus: string, resultCode: string) => ({ result: { resultStatus, resultCode, resultMessage: 'm' } });
const ops: AmsOperation[] = ['pay', 'inquire', 'cancel', 'refund'];

describe('AMS F result codes', () => {
  const rows: [string, string][] = [
    ['USER_BALANCE_NOT_ENOUGH', 'insufficient-balance'],
    ['INVALID_CODE', 'invalid-code'],
    ['EXPIRED_CODE', 'expired-code'],
    ['USER_PAYMENT_VERIFICATION_FAILED', 'user-verification-failed'],
    ['RISK_REJECT', 'risk-rejected'],
    ['USER_AMOUNT_EXCEED_LIMIT', 'amount-limit'],
    ['PAYMENT_AMOUNT_EXCEED_LIMIT', 'amount-limit'],
    ['PAYMENT_COUNT_EXCEED_LIMIT', 'count-limit'],
    ['ORDER_NOT_EXIST', 'not-found'],
    ['ORDER_IS_CLOSED', 'closed'],
    ['CANCEL_WINDOW_EXCEED', 'cancel-window-exceeded'],
    ['REFUND_WINDOW_EXCEED', 'refund-window-exceeded'],
    ['REFUND_AMOUNT_EXCEED', 'refund-amount-exceeded'],
    ['REPEAT_REQ_INCONSISTENT', 'duplicate-inconsistent'],
    ['PARAM_ILLEGAL', 'invalid-request'],
    ['INVALID_SIGNATURE', 'invalid-request'],
    ['INVALID_CLIENT', 'invalid-request'],
    ['KEY_NOT_FOUND', 'invalid-request'],
    ['CURRENCY_NOT_SUPPORT', 'currency-not-supported'],
    ['MERCHANT_NOT_REGISTERED', 'merchant-not-permitted'],
    ['ACCESS_DENIED', 'merchant-not-permitted'],
    ['INVALID_MERCHANT_STATUS', 'merchant-not-permitted'],
    ['MERCHANT_KYB_NOT_QUALIFIED', 'merchant-not-permitted'],
    ['INVALID_ACCESS_TOKEN', 'merchant-not-permitted'],
    ['PROCESS_FAIL', 'declined'],
    ['USER_STATUS_ABNORMAL', 'declined'],
    ['SOMETHING_NEW', 'declined'],
  ];

  it('the test table covers every row of the code table', () => {
    for (const code of Object.keys(AMS_FAILURE_REASONS)) expect(rows.map((r) => r[0])).toContain(code);
  });

  it.each(rows)('%s -> %s for every operation', (code, reason) => {
    expect(amsFailureReason(code)).toBe(reason);
    for (const op of ops) {
      expect(mapAmsResponse(op, result('F', code), raw)).toEqual({
        kind: 'failure',
        code,
        reason,
        message: FAILURE_MESSAGES[reason as keyof typeof FAILURE_MESSAGES],
        raw: raw(code),
      });
    }
  });
});

describe('AMS S and U', () => {
  it('pay S is success with paymentId and paymentTime', () => {
    const out = mapAmsResponse('pay', { ...result('S', 'SUCCESS'), paymentId: 'P1', paymentTime: '2019-06-01T12:01:01+08:00' }, raw);
    expect(out).toEqual({ kind: 'success', alipayTransactionId: 'P1', completedAt: new Date('2019-06-01T04:01:01Z'), raw: raw('SUCCESS') });
  });

  it('cancel S and refund S are success (refund carries refundId)', () => {
    expect(mapAmsResponse('cancel', { ...result('S', 'SUCCESS'), paymentId: 'P1', cancelTime: '2020-01-01T00:00:00Z' }, raw)).toMatchObject({
      kind: 'success',
      alipayTransactionId: 'P1',
      completedAt: new Date('2020-01-01T00:00:00Z'),
    });
    expect(mapAmsResponse('refund', { ...result('S', 'SUCCESS'), refundId: 'R9', paymentId: 'P1' }, raw)).toMatchObject({
      kind: 'success',
      alipayTransactionId: 'R9',
    });
  });

  it('PAYMENT_IN_PROCESS is processing for pay and inquiry, unknown for cancel and refund', () => {
    expect(mapAmsResponse('pay', result('U', 'PAYMENT_IN_PROCESS'), raw)).toEqual({ kind: 'processing', raw: raw('PAYMENT_IN_PROCESS') });
    expect(mapAmsResponse('inquire', result('U', 'PAYMENT_IN_PROCESS'), raw).kind).toBe('processing');
    expect(mapAmsResponse('cancel', result('U', 'PAYMENT_IN_PROCESS'), raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    expect(mapAmsResponse('refund', result('U', 'PAYMENT_IN_PROCESS'), raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
  });

  it.each(['UNKNOWN_EXCEPTION', 'REQUEST_TRAFFIC_EXCEED_LIMIT'])('U %s is unknown status-unknown for every operation', (code) => {
    for (const op of ops) {
      expect(mapAmsResponse(op, result('U', code), raw)).toEqual({
        kind: 'unknown',
        cause: 'status-unknown',
        detail: `result U ${code}`,
        raw: raw(code),
      });
    }
  });

  it('a body without a result status is unknown', () => {
    expect(mapAmsResponse('pay', {}, raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    expect(mapAmsResponse('pay', { result: { resultStatus: 'X' } }, raw)).toMatchObject({ kind: 'unknown' });
  });
});

describe('AMS inquiryPayment paymentStatus', () => {
  const inquiry = (extra: object) => mapAmsResponse('inquire', { ...result('S', 'SUCCESS'), ...extra }, raw);

  it('SUCCESS -> success', () => {
    expect(inquiry({ paymentStatus: 'SUCCESS', paymentId: 'P2' })).toMatchObject({ kind: 'success', alipayTransactionId: 'P2' });
  });
  it('FAIL -> failure with paymentResultCode mapped', () => {
    expect(inquiry({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' })).toMatchObject({
      kind: 'failure',
      code: 'USER_BALANCE_NOT_ENOUGH',
      reason: 'insufficient-balance',
    });
    expect(inquiry({ paymentStatus: 'FAIL' })).toMatchObject({ kind: 'failure', code: 'FAIL', reason: 'declined' });
  });
  it('PROCESSING -> processing', () => {
    expect(inquiry({ paymentStatus: 'PROCESSING' }).kind).toBe('processing');
  });
  it('CANCELLED -> failure closed', () => {
    expect(inquiry({ paymentStatus: 'CANCELLED' })).toMatchObject({ kind: 'failure', code: 'CANCELLED', reason: 'closed' });
  });
  it('an unheard-of paymentStatus is unknown, never success', () => {
    expect(inquiry({ paymentStatus: 'PENDING_SOMETHING' })).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
  });
  it('reads the Alipay+ paymentResult shape too', () => {
    expect(inquiry({ paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentId: 'P3' })).toMatchObject({
      kind: 'success',
      alipayTransactionId: 'P3',
    });
    expect(inquiry({ paymentResult: { resultStatus: 'F', resultCode: 'RISK_REJECT' } })).toMatchObject({ reason: 'risk-rejected' });
    expect(inquiry({ paymentResult: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' } }).kind).toBe('processing');
    expect(inquiry({}).kind).toBe('unknown');
  });
});

describe('AMS request bodies', () => {
  const pay: PayRequest = {
    paymentRequestId: 'PR1',
    paymentCode: '281234567890123456',
    amount: { amountMinor: 1000, currency: 'JPY' },
    subject: 'Coffee',
    merchant: { merchantId: 'M1', merchantName: 'Cafe', mcc: '5812', storeId: 'S1', storeName: 'Ginza', terminalId: 'T1' },
    terminalRequestTime: new Date('2020-06-11T05:35:02.123Z'),
  };

  it('pay body follows the UPM shape, amounts as minor-unit strings, no empty optional fields', () => {
    expect(amsPayBody(pay)).toEqual({
      productCode: 'IN_STORE_PAYMENT',
      paymentRequestId: 'PR1',
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: '281234567890123456' },
      paymentFactor: { inStorePaymentScenario: 'PaymentCode' },
      paymentAmount: { currency: 'JPY', value: '1000' },
      order: {
        referenceOrderId: 'PR1',
        orderDescription: 'Coffee',
        orderAmount: { currency: 'JPY', value: '1000' },
        merchant: {
          referenceMerchantId: 'M1',
          merchantName: 'Cafe',
          merchantMCC: '5812',
          store: { referenceStoreId: 'S1', storeName: 'Ginza', storeMCC: '5812' },
        },
        env: { storeTerminalId: 'T1', storeTerminalRequestTime: '2020-06-11T05:35:02+00:00' },
      },
    });
    expect(amsPayBody({ ...pay, notifyUrl: 'https://switch/notify' }).paymentNotifyUrl).toBe('https://switch/notify');
  });

  it('refund body names the payment by paymentId alone, as Antom takes it, and omits absent fields', () => {
    const now = new Date('2021-01-02T03:04:05Z');
    const base = { paymentRequestId: 'PR1', refundRequestId: 'RF1', amount: { amountMinor: 250, currency: 'USD' }, merchant: pay.merchant, alipayTransactionId: 'P0' };
    expect(amsRefundBody(base, now)).toEqual({
      paymentId: 'P0',
      refundRequestId: 'RF1',
      refundAmount: { currency: 'USD', value: '250' },
      refundRequestTime: '2021-01-02T03:04:05+00:00',
    });
    expect(amsRefundBody({ ...base, alipayTransactionId: 'P1', reason: 'customer' }, now)).toMatchObject({ paymentId: 'P1', refundReason: 'customer' });
  });
});

describe('AMS notifications', () => {
  const body = (extra: object) =>
    JSON.stringify({ notifyType: 'PAYMENT_RESULT', paymentRequestId: 'PR1', paymentId: 'P1', paymentAmount: { currency: 'USD', value: '1234' }, ...extra });

  it('PAYMENT_RESULT with result S is a success with amount and id', () => {
    expect(parseAmsNotification(body({ result: { resultStatus: 'S', resultCode: 'SUCCESS' } }))).toEqual({
      paymentRequestId: 'PR1',
      status: 'success',
      amount: { amountMinor: 1234, currency: 'USD' },
      alipayTransactionId: 'P1',
    });
  });
  it('result F is a failure; paymentStatus wins over result when present', () => {
    expect(parseAmsNotification(body({ result: { resultStatus: 'F' } }))?.status).toBe('failure');
    expect(parseAmsNotification(body({ paymentStatus: 'SUCCESS', result: { resultStatus: 'F' } }))?.status).toBe('success');
    expect(parseAmsNotification(body({ paymentStatus: 'CANCELLED' }))?.status).toBe('failure');
    expect(parseAmsNotification(body({ paymentStatus: 'PROCESSING', result: { resultStatus: 'S' } }))).toBeUndefined();
  });
  it('ignores other notify types, U results, result-less bodies and junk', () => {
    expect(parseAmsNotification(body({ notifyType: 'PAYMENT_PENDING', result: { resultStatus: 'S' } }))).toBeUndefined();
    expect(parseAmsNotification(body({ result: { resultStatus: 'U' } }))).toBeUndefined();
    expect(parseAmsNotification(body({}))).toBeUndefined();
    expect(parseAmsNotification('not json')).toBeUndefined();
    expect(parseAmsNotification(JSON.stringify({ notifyType: 'PAYMENT_RESULT', result: { resultStatus: 'S' } }))).toBeUndefined();
  });
});
