import type { ChannelRaw, PayRequest } from '../src/channel.port';
import { OPENAPI_FAILURE_REASONS, openapiFailureReason } from '../src/openapi/openapi.codes';
import {
  mapOpenapiResponse,
  openapiPayBiz,
  OpenapiOperation,
  openapiRefundBiz,
  parseOpenapiNotification,
} from '../src/openapi/openapi.mapper';

const raw = (resultCode?: string): ChannelRaw => ({ api: 'x', requestId: 'r', latencyMs: 1, ...(resultCode ? { resultCode } : {}) });
const ops: OpenapiOperation[] = ['pay', 'inquire', 'cancel', 'refund'];
const biz = (code: string, subCode: string) => ({ code, msg: 'Business Failed', sub_code: subCode, sub_msg: 'x' });

describe('Open Platform 40004 sub-codes', () => {
  const rows: [string, string][] = [
    ['ACQ.BUYER_BALANCE_NOT_ENOUGH', 'insufficient-balance'],
    ['ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH', 'insufficient-balance'],
    ['ACQ.PAYMENT_AUTH_CODE_INVALID', 'invalid-code'],
    ['ACQ.TRADE_NOT_EXIST', 'not-found'],
    ['ACQ.TRADE_HAS_CLOSE', 'closed'],
    ['ACQ.TRADE_STATUS_ERROR', 'closed'],
    ['ACQ.REASON_TRADE_STATUS_INVALID', 'closed'],
    ['ACQ.TOTAL_FEE_EXCEED', 'amount-limit'],
    ['ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR', 'amount-limit'],
    ['ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR', 'amount-limit'],
    ['ACQ.PRODUCT_AMOUNT_LIMIT_ERROR', 'amount-limit'],
    ['ACQ.BUYER_ENABLE_STATUS_FORBID', 'risk-rejected'],
    ['ACQ.PAYMENT_REQUEST_HAS_RISK', 'risk-rejected'],
    ['ACQ.REASON_TRADE_BEEN_FREEZEN', 'risk-rejected'],
    ['ACQ.SOME_NEW_RISK_CODE', 'risk-rejected'],
    ['ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT', 'user-verification-failed'],
    ['ACQ.TRADE_CANCEL_TIME_OUT', 'cancel-window-exceeded'],
    ['ACQ.TRADE_HAS_FINISHED', 'refund-window-exceeded'],
    ['ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'refund-amount-exceeded'],
    ['ACQ.REFUND_FEE_ERROR', 'refund-amount-exceeded'],
    ['ACQ.REASON_TRADE_REFUND_FEE_ERR', 'refund-amount-exceeded'],
    ['ACQ.CONTEXT_INCONSISTENT', 'duplicate-inconsistent'],
    ['ACQ.TRADE_BUYER_NOT_MATCH', 'duplicate-inconsistent'],
    ['ACQ.INVALID_PARAMETER', 'invalid-request'],
    ['ACQ.BUYER_SELLER_EQUAL', 'invalid-request'],
    ['ACQ.ACCESS_FORBIDDEN', 'merchant-not-permitted'],
    ['ACQ.MERCHANT_AGREEMENT_NOT_EXIST', 'merchant-not-permitted'],
    ['ACQ.MERCHANT_AGREEMENT_INVALIDATE', 'merchant-not-permitted'],
    ['ACQ.PAYMENT_FAIL', 'declined'],
    ['ACQ.SELLER_BALANCE_NOT_ENOUGH', 'declined'],
    ['ACQ.NEVER_HEARD_OF', 'declined'],
  ];

  it('the test table covers every row of the code table', () => {
    for (const code of Object.keys(OPENAPI_FAILURE_REASONS)) expect(rows.map((r) => r[0])).toContain(code);
  });

  it.each(rows)('%s -> %s for every operation', (subCode, reason) => {
    expect(openapiFailureReason(subCode)).toBe(reason);
    for (const op of ops) {
      expect(mapOpenapiResponse(op, biz('40004', subCode), raw)).toMatchObject({ kind: 'failure', code: subCode, reason, raw: raw(subCode) });
    }
  });

  it.each(['ACQ.SYSTEM_ERROR', 'ACQ.TRADE_HAS_SUCCESS'])('%s leaves the state unknown', (subCode) => {
    for (const op of ops) {
      expect(mapOpenapiResponse(op, biz('40004', subCode), raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    }
  });

  it('40004 without sub_code is a plain decline carrying the code', () => {
    expect(mapOpenapiResponse('pay', { code: '40004' }, raw)).toMatchObject({ kind: 'failure', code: '40004', reason: 'declined' });
  });
});

describe('Open Platform public codes', () => {
  it('10000 pay -> success with trade_no and gmt_payment read as Beijing time', () => {
    expect(mapOpenapiResponse('pay', { code: '10000', msg: 'Success', trade_no: '2013112011001004330000121536', gmt_payment: '2014-11-27 15:45:57' }, raw)).toEqual({
      kind: 'success',
      alipayTransactionId: '2013112011001004330000121536',
      completedAt: new Date('2014-11-27T07:45:57Z'),
      raw: raw('10000'),
    });
  });
  it('10003 -> processing for pay and query, unknown for cancel and refund', () => {
    expect(mapOpenapiResponse('pay', { code: '10003' }, raw).kind).toBe('processing');
    expect(mapOpenapiResponse('inquire', { code: '10003' }, raw).kind).toBe('processing');
    expect(mapOpenapiResponse('cancel', { code: '10003' }, raw).kind).toBe('unknown');
    expect(mapOpenapiResponse('refund', { code: '10003' }, raw).kind).toBe('unknown');
  });
  it('20000 -> unknown for every operation', () => {
    for (const op of ops) {
      expect(mapOpenapiResponse(op, { code: '20000', sub_code: 'isp.unknow-error' }, raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    }
  });
  it.each([
    ['20001', 'aop.invalid-app-auth-token', 'merchant-not-permitted'],
    ['40006', 'isv.insufficient-isv-permissions', 'merchant-not-permitted'],
    ['40001', 'isv.missing-method', 'invalid-request'],
    ['40002', 'isv.invalid-signature', 'invalid-request'],
  ])('%s %s -> failure %s', (code, subCode, reason) => {
    expect(mapOpenapiResponse('pay', { code, sub_code: subCode }, raw)).toMatchObject({ kind: 'failure', code: subCode, reason });
  });
  it('an unheard-of or missing code is unknown', () => {
    expect(mapOpenapiResponse('pay', { code: '99999' }, raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    expect(mapOpenapiResponse('pay', {}, raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
  });
});

describe('Open Platform query trade_status', () => {
  const query = (trade_status?: string) => mapOpenapiResponse('inquire', { code: '10000', trade_no: 'T1', trade_status }, raw);
  it.each([
    ['TRADE_SUCCESS', 'success'],
    ['TRADE_FINISHED', 'success'],
    ['WAIT_BUYER_PAY', 'processing'],
  ])('%s -> %s', (status, kind) => {
    expect(query(status).kind).toBe(kind);
  });
  it('TRADE_CLOSED -> failure closed', () => {
    expect(query('TRADE_CLOSED')).toMatchObject({ kind: 'failure', code: 'TRADE_CLOSED', reason: 'closed' });
  });
  it('missing or unheard-of status -> unknown', () => {
    expect(query(undefined).kind).toBe('unknown');
    expect(query('TRADE_PENDING').kind).toBe('unknown');
  });
});

describe('Open Platform cancel', () => {
  it('10000 with retry_flag N -> success whatever the action', () => {
    expect(mapOpenapiResponse('cancel', { code: '10000', retry_flag: 'N', action: 'close', trade_no: 'T1' }, raw)).toMatchObject({ kind: 'success', alipayTransactionId: 'T1' });
    expect(mapOpenapiResponse('cancel', { code: '10000', retry_flag: 'N', action: 'refund' }, raw).kind).toBe('success');
  });
  it('retry_flag Y -> unknown, whatever the code', () => {
    expect(mapOpenapiResponse('cancel', { code: '10000', retry_flag: 'Y' }, raw)).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    expect(mapOpenapiResponse('cancel', { ...biz('40004', 'ACQ.TRADE_STATUS_ERROR'), retry_flag: 'Y' }, raw).kind).toBe('unknown');
  });
});

describe('Open Platform refund', () => {
  it('10000 is success whether fund_change is Y or N (N = repeat of the same out_request_no)', () => {
    expect(mapOpenapiResponse('refund', { code: '10000', fund_change: 'Y', trade_no: 'T1', gmt_refund_pay: '2020-01-01 08:00:00' }, raw)).toEqual({
      kind: 'success',
      alipayTransactionId: 'T1',
      completedAt: new Date('2020-01-01T00:00:00Z'),
      raw: raw('10000'),
    });
    expect(mapOpenapiResponse('refund', { code: '10000', fund_change: 'N' }, raw).kind).toBe('success');
  });
});

describe('Open Platform biz_content', () => {
  const pay: PayRequest = {
    paymentRequestId: 'PR1',
    paymentCode: '281234567890123456',
    amount: { amountMinor: 1, currency: 'CNY' },
    subject: 'Tea',
    merchant: { merchantId: 'M1', merchantName: 'Cafe', mcc: '5812', storeId: 'S1', storeName: 'Store', terminalId: 'T1' },
    terminalRequestTime: new Date(0),
  };
  it('trade.pay: bar_code scene, total_amount in yuan, no trans_currency for CNY', () => {
    expect(openapiPayBiz(pay)).toEqual({
      out_trade_no: 'PR1',
      scene: 'bar_code',
      auth_code: '281234567890123456',
      product_code: 'FACE_TO_FACE_PAYMENT',
      subject: 'Tea',
      total_amount: '0.01',
      store_id: 'S1',
      terminal_id: 'T1',
    });
    expect(openapiPayBiz({ ...pay, amount: { amountMinor: 500, currency: 'JPY' } })).toMatchObject({ total_amount: '500', trans_currency: 'JPY' });
  });
  it('trade.refund: out_request_no is the refund request id', () => {
    expect(openapiRefundBiz({ paymentRequestId: 'PR1', refundRequestId: 'RF1', amount: { amountMinor: 150, currency: 'CNY' }, merchant: pay.merchant })).toEqual({
      out_trade_no: 'PR1',
      out_request_no: 'RF1',
      refund_amount: '1.50',
      store_id: 'S1',
      terminal_id: 'T1',
    });
  });
});

describe('Open Platform notifications', () => {
  it('TRADE_SUCCESS -> success with the amount in CNY minor units', () => {
    expect(parseOpenapiNotification({ out_trade_no: 'PR1', trade_status: 'TRADE_SUCCESS', total_amount: '12.30', trade_no: 'T1' })).toEqual({
      paymentRequestId: 'PR1',
      status: 'success',
      amount: { amountMinor: 1230, currency: 'CNY' },
      alipayTransactionId: 'T1',
    });
  });
  it('TRADE_CLOSED -> failure; WAIT_BUYER_PAY and id-less bodies are ignored', () => {
    expect(parseOpenapiNotification({ out_trade_no: 'PR1', trade_status: 'TRADE_CLOSED' })?.status).toBe('failure');
    expect(parseOpenapiNotification({ out_trade_no: 'PR1', trade_status: 'WAIT_BUYER_PAY' })).toBeUndefined();
    expect(parseOpenapiNotification({ trade_status: 'TRADE_SUCCESS' })).toBeUndefined();
  });
  it('an unreadable amount is left out, not guessed', () => {
    expect(parseOpenapiNotification({ out_trade_no: 'PR1', trade_status: 'TRADE_SUCCESS', total_amount: '1.234' })?.amount).toBeUndefined();
  });
});
