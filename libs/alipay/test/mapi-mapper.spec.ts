import type { ChannelRaw } from '../src/channel.port';
import { MAPI_FAILURE_REASONS, mapiFailureReason } from '../src/mapi/mapi.codes';
import { mapiCancelParams, MapiOperation, mapiPayParams, mapMapiAnswer, parseMapiNotification, readMapiAnswer } from '../src/mapi/mapi.mapper';
import { parseXml } from '../src/mapi/xml';

const raw = (resultCode?: string): ChannelRaw => ({ api: 'x', requestId: 'r', latencyMs: 1, ...(resultCode ? { resultCode } : {}) });
const ops: MapiOperation[] = ['pay', 'inquire', 'cancel', 'refund'];
const answer = (fields: Record<string, string>) => ({ isSuccess: 'T', fields, sign: 's' });

describe('MAPI error codes', () => {
  const rows: [string, string][] = [
    ['BUYER_BALANCE_NOT_ENOUGH', 'insufficient-balance'],
    ['BUYER_BANKCARD_BALANCE_NOT_ENOUGH', 'insufficient-balance'],
    ['INVALID_IDENTITY_CODE', 'invalid-code'],
    ['PAYMENT_AUTH_CODE_INVALID', 'invalid-code'],
    ['EXPIRED_IDENTITY_CODE', 'expired-code'],
    ['BUYER_CODE_EXPIRED', 'expired-code'],
    ['INVALID_BUYER_IDENTITY_CODE', 'invalid-code'],
    ['USER_PAYMENT_VERIFICATION_FAILED', 'user-verification-failed'],
    ['RISK_REJECT', 'risk-rejected'],
    ['BUYER_ENABLE_STATUS_FORBID', 'risk-rejected'],
    ['REASON_TRADE_BEEN_FREEZEN', 'risk-rejected'],
    ['TOTAL_FEE_EXCEED', 'amount-limit'],
    ['PAYMENT_AMOUNT_EXCEED_LIMIT', 'amount-limit'],
    ['EXCEED_LIMIT_SM_AMOUNT', 'amount-limit'],
    ['PAYMENT_COUNT_EXCEED_LIMIT', 'count-limit'],
    ['TRADE_NOT_EXIST', 'not-found'],
    ['TRANS_NOT_FOUND', 'not-found'],
    ['TRADE_HAS_CLOSE', 'closed'],
    ['TRADE_CLOSED', 'closed'],
    ['TRADE_STATUS_ERROR', 'closed'],
    ['CANCEL_WINDOW_EXCEED', 'cancel-window-exceeded'],
    ['REFUND_WINDOW_EXCEED', 'refund-window-exceeded'],
    ['REFUND_AMOUNT_EXCEED', 'refund-amount-exceeded'],
    ['RETURN_AMOUNT_EXCEED', 'refund-amount-exceeded'],
    ['REPEAT_REQ_INCONSISTENT', 'duplicate-inconsistent'],
    ['TRADE_BUYER_NOT_MATCH', 'duplicate-inconsistent'],
    ['CONTEXT_INCONSISTENT', 'duplicate-inconsistent'],
    ['PARAM_ILLEGAL', 'invalid-request'],
    ['ILLEGAL_SIGN', 'invalid-request'],
    ['ILLEGAL_PARTNER', 'invalid-request'],
    ['CURRENCY_NOT_SUPPORT', 'currency-not-supported'],
    ['HAS_NO_PRIVILEGE', 'merchant-not-permitted'],
    ['ACCESS_FORBIDDEN', 'merchant-not-permitted'],
    ['PAYMENT_FAIL', 'declined'],
    ['NEVER_HEARD_OF', 'declined'],
  ];

  it('the test table covers every row of the code table', () => {
    for (const code of Object.keys(MAPI_FAILURE_REASONS)) expect(rows.map((r) => r[0])).toContain(code);
  });

  it.each(rows)('result FAILED error %s -> %s for every operation', (error, reason) => {
    expect(mapiFailureReason(error)).toBe(reason);
    for (const op of ops) {
      expect(mapMapiAnswer(op, answer({ result_code: 'FAILED', error }), raw)).toMatchObject({ kind: 'failure', code: error, reason, raw: raw(error) });
    }
  });

  it('query answers FAIL (not FAILED) the same way', () => {
    expect(mapMapiAnswer('inquire', answer({ result_code: 'FAIL', error: 'TRADE_NOT_EXIST' }), raw)).toMatchObject({ kind: 'failure', reason: 'not-found' });
  });

  it.each(['SYSTEM_ERROR', 'TRADE_HAS_SUCCESS'])('%s leaves the state unknown, in result and in is_success=F', (error) => {
    for (const op of ops) {
      expect(mapMapiAnswer(op, answer({ result_code: 'FAILED', error }), raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
      expect(mapMapiAnswer(op, { isSuccess: 'F', error }, raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    }
  });

  it('is_success=F with another error is a failure (the request was refused)', () => {
    expect(mapMapiAnswer('pay', { isSuccess: 'F', error: 'ILLEGAL_SIGN' }, raw)).toMatchObject({ kind: 'failure', code: 'ILLEGAL_SIGN', reason: 'invalid-request' });
    expect(mapMapiAnswer('pay', { isSuccess: 'F' }, raw)).toMatchObject({ kind: 'failure', code: 'UNKNOWN_ERROR', reason: 'declined' });
  });
});

describe('MAPI result_code and alipay_trans_status', () => {
  it('spot.pay SUCCESS -> success with alipay_trans_id and pay time (Beijing)', () => {
    expect(mapMapiAnswer('pay', answer({ result_code: 'SUCCESS', alipay_trans_id: '2015', alipay_pay_time: '20150101120000' }), raw)).toEqual({
      kind: 'success',
      alipayTransactionId: '2015',
      completedAt: new Date('2015-01-01T04:00:00Z'),
      raw: raw('SUCCESS'),
    });
  });
  it('UNKNOW -> processing when Alipay says WAIT_BUYER_PAY, else unknown', () => {
    expect(mapMapiAnswer('pay', answer({ result_code: 'UNKNOW', alipay_trans_status: 'WAIT_BUYER_PAY' }), raw).kind).toBe('processing');
    expect(mapMapiAnswer('pay', answer({ result_code: 'UNKNOW' }), raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    expect(mapMapiAnswer('refund', answer({ result_code: 'UNKNOW', alipay_trans_status: 'WAIT_BUYER_PAY' }), raw).kind).toBe('unknown');
  });
  it.each([
    ['TRADE_SUCCESS', 'success'],
    ['TRADE_FINISHED', 'success'],
    ['WAIT_BUYER_PAY', 'processing'],
    ['TRADE_CLOSED', 'failure'],
    ['SOMETHING_ELSE', 'unknown'],
  ])('query alipay_trans_status %s -> %s', (status, kind) => {
    expect(mapMapiAnswer('inquire', answer({ result_code: 'SUCCESS', alipay_trans_status: status }), raw).kind).toBe(kind);
  });
  it('query TRADE_CLOSED is failure closed', () => {
    expect(mapMapiAnswer('inquire', answer({ result_code: 'SUCCESS', alipay_trans_status: 'TRADE_CLOSED' }), raw)).toMatchObject({ reason: 'closed' });
  });
  it('cancel SUCCESS -> success, retry_flag Y -> unknown', () => {
    expect(mapMapiAnswer('cancel', answer({ result_code: 'SUCCESS', retry_flag: 'N', trade_no: 'T9', action: 'close' }), raw)).toMatchObject({ kind: 'success', alipayTransactionId: 'T9' });
    expect(mapMapiAnswer('cancel', answer({ result_code: 'FAIL', retry_flag: 'Y', error: 'X' }), raw).kind).toBe('unknown');
  });
  it('refund SUCCESS -> success; missing or odd result_code and a missing response -> unknown', () => {
    expect(mapMapiAnswer('refund', answer({ result_code: 'SUCCESS', alipay_trans_id: 'A1' }), raw)).toMatchObject({ kind: 'success', alipayTransactionId: 'A1' });
    expect(mapMapiAnswer('refund', answer({}), raw).kind).toBe('unknown');
    expect(mapMapiAnswer('refund', answer({ result_code: 'WHAT' }), raw).kind).toBe('unknown');
    expect(mapMapiAnswer('refund', { isSuccess: 'T' }, raw).kind).toBe('unknown');
  });
});

describe('MAPI XML answer', () => {
  it('reads is_success, the response/alipay fields (entities decoded) and sign', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<alipay><is_success>T</is_success><request><param name="service">alipay.acquire.overseas.query</param></request>' +
      '<response><alipay><result_code>SUCCESS</result_code><alipay_trans_status>TRADE_SUCCESS</alipay_trans_status><partner_trans_id>A&amp;B</partner_trans_id></alipay></response>' +
      '<sign>abc</sign><sign_type>MD5</sign_type></alipay>';
    expect(readMapiAnswer(parseXml(xml))).toEqual({
      isSuccess: 'T',
      error: undefined,
      fields: { result_code: 'SUCCESS', alipay_trans_status: 'TRADE_SUCCESS', partner_trans_id: 'A&B' },
      sign: 'abc',
    });
  });
  it('reads an is_success=F refusal', () => {
    expect(readMapiAnswer(parseXml('<alipay><is_success>F</is_success><error>ILLEGAL_SIGN</error></alipay>'))).toEqual({
      isSuccess: 'F',
      error: 'ILLEGAL_SIGN',
      fields: undefined,
      sign: undefined,
    });
  });
});

describe('MAPI request parameters', () => {
  const merchant = { merchantId: 'SM1', merchantName: 'Shop', mcc: '5411', storeId: 'S1', storeName: 'Main', terminalId: 'T1' };
  it('spot.pay carries the documented fields, trans_create_time in Beijing time', () => {
    const params = mapiPayParams(
      { paymentRequestId: 'PR1', paymentCode: '281234567890123456', amount: { amountMinor: 1050, currency: 'HKD' }, subject: 'Ticket', merchant, terminalRequestTime: new Date('2024-01-31T16:30:00Z') },
      '2088000000000001',
    );
    expect(params).toEqual({
      alipay_seller_id: '2088000000000001',
      quantity: '1',
      trans_name: 'Ticket',
      partner_trans_id: 'PR1',
      currency: 'HKD',
      trans_currency: 'HKD',
      trans_amount: '10.50',
      buyer_identity_code: '281234567890123456',
      identity_code_type: 'barcode',
      trans_create_time: '20240201003000',
      biz_product: 'OVERSEAS_MBARCODE_PAY',
      notify_url: undefined,
      extend_info: JSON.stringify({ secondary_merchant_id: 'SM1', secondary_merchant_name: 'Shop', secondary_merchant_industry: '5411', store_id: 'S1', store_name: 'Main', terminal_id: 'T1' }),
    });
  });
  it('cancel uses out_trade_no and an epoch-ms timestamp', () => {
    expect(mapiCancelParams({ paymentRequestId: 'PR1', merchant }, new Date(1700000000123))).toEqual({ out_trade_no: 'PR1', timestamp: '1700000000123' });
  });
});

describe('MAPI notifications', () => {
  it('TRADE_SUCCESS -> success with amount, TRADE_CLOSED -> failure, others ignored', () => {
    expect(parseMapiNotification({ partner_trans_id: 'PR1', trade_status: 'TRADE_SUCCESS', trans_amount: '10.50', currency: 'HKD', trade_no: 'A1' })).toEqual({
      paymentRequestId: 'PR1',
      status: 'success',
      amount: { amountMinor: 1050, currency: 'HKD' },
      alipayTransactionId: 'A1',
    });
    expect(parseMapiNotification({ out_trade_no: 'PR1', trade_status: 'TRADE_CLOSED' })?.status).toBe('failure');
    expect(parseMapiNotification({ partner_trans_id: 'PR1', trade_status: 'WAIT_BUYER_PAY' })).toBeUndefined();
    expect(parseMapiNotification({ trade_status: 'TRADE_SUCCESS' })).toBeUndefined();
  });
});
