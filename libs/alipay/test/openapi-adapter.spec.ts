import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChannel } from '../src';
import type { MerchantContext, PayRequest } from '../src/channel.port';
import type { OpenapiConfig } from '../src/config';
import {
  certSn,
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  openapiNotifySignContent,
  openapiSignContent,
  rootCertSn,
  rsaSign,
  rsaVerify,
} from '../src/signing';
import { FakeAlipay } from './support/fake-alipay';

const merchantKeys = generateRsaKeyPair();
const alipayKeys = generateRsaKeyPair();
const alipayPrivate = loadPrivateKey(alipayKeys.privateKeyPem);
const merchantPublic = loadPublicKey(merchantKeys.publicKeyPem);
const APP_ID = '2021000000000001';
const NOW = new Date('2024-03-01T16:30:05Z');

const merchant: MerchantContext = { merchantId: 'M1', merchantName: 'Cafe', mcc: '5812', storeId: 'S1', storeName: 'Main', terminalId: 'T1' };
const pay: PayRequest = {
  paymentRequestId: 'PR-1',
  paymentCode: '281234567890123456',
  amount: { amountMinor: 1234, currency: 'CNY' },
  subject: '咖啡',
  merchant,
  terminalRequestTime: NOW,
  notifyUrl: 'https://switch.example/notify/openapi',
};

let fake: FakeAlipay;
beforeAll(async () => {
  fake = await FakeAlipay.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function channel(extra: Partial<OpenapiConfig> = {}) {
  return createChannel({
    channel: 'openapi',
    gatewayUrl: `${fake.url}/gateway.do`,
    appId: APP_ID,
    merchantPrivateKey: merchantKeys.privateKeyPem,
    alipayPublicKey: alipayKeys.publicKeyPem,
    timeoutMs: 2000,
    now: () => NOW,
    ...extra,
  });
}

const form = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));

/** Alipay's shape: the node text is written once and signed exactly as written (escaped slashes kept). */
function answer(nodeName: string, nodeText: string, opts: { sign?: boolean; certSn?: string } = {}) {
  fake.handler = (_req, res) => {
    const sign = opts.sign === false ? '' : `,"sign":"${rsaSign(nodeText, alipayPrivate)}"`;
    const cert = opts.certSn ? `,"alipay_cert_sn":"${opts.certSn}"` : '';
    res.setHeader('content-type', 'text/html;charset=utf-8');
    res.end(`{"${nodeName}":${nodeText}${cert}${sign}}`);
  };
}

describe('Open Platform adapter over HTTP', () => {
  it('posts a signed alipay.trade.pay form and reads a signed 10000 as success', async () => {
    answer(
      'alipay_trade_pay_response',
      '{"code":"10000","msg":"Success","buyer_logon_id":"abc***@x.com","trade_no":"2024030122001","out_trade_no":"PR-1","gmt_payment":"2024-03-02 00:30:06","fund_bill_list":[{"fund_channel":"ALIPAYACCOUNT"}],"store_name":"a\\/b"}',
    );
    const c = channel();
    const out = await c.pay({ ...pay, merchant: { ...merchant, appAuthToken: 'APP-AUTH-1' } });
    expect(out).toMatchObject({ kind: 'success', alipayTransactionId: '2024030122001', completedAt: new Date('2024-03-01T16:30:06Z') });
    expect(out.kind === 'success' && out.raw).toMatchObject({ api: 'alipay.trade.pay', requestId: 'PR-1', httpStatus: 200, resultCode: '10000' });

    const [req] = fake.requests;
    expect(req.url).toBe('/gateway.do');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
    const params = form(req.body);
    expect(params).toMatchObject({
      app_id: APP_ID,
      method: 'alipay.trade.pay',
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: '2024-03-02 00:30:05',
      version: '1.0',
      notify_url: 'https://switch.example/notify/openapi',
      app_auth_token: 'APP-AUTH-1',
    });
    expect(JSON.parse(params.biz_content)).toEqual({
      out_trade_no: 'PR-1',
      scene: 'bar_code',
      auth_code: '281234567890123456',
      product_code: 'FACE_TO_FACE_PAYMENT',
      subject: '咖啡',
      total_amount: '12.34',
      store_id: 'S1',
      terminal_id: 'T1',
    });
    expect(rsaVerify(openapiSignContent(params), params.sign, merchantPublic, 'RSA2')).toBe(true);
    c.close();
  });

  it('query, cancel and refund use their methods; 10003 and WAIT_BUYER_PAY are processing', async () => {
    const c = channel();
    answer('alipay_trade_pay_response', '{"code":"10003","msg":"Order success pay inprocess"}');
    expect((await c.pay(pay)).kind).toBe('processing');
    answer('alipay_trade_query_response', '{"code":"10000","msg":"Success","trade_status":"WAIT_BUYER_PAY"}');
    expect((await c.inquire({ paymentRequestId: 'PR-1', merchant })).kind).toBe('processing');
    answer('alipay_trade_cancel_response', '{"code":"10000","msg":"Success","retry_flag":"N","action":"close"}');
    expect((await c.cancel({ paymentRequestId: 'PR-1', merchant })).kind).toBe('success');
    answer('alipay_trade_refund_response', '{"code":"10000","msg":"Success","fund_change":"Y","refund_fee":"1.00"}');
    expect((await c.refund({ paymentRequestId: 'PR-1', refundRequestId: 'RF-1', amount: { amountMinor: 100, currency: 'CNY' }, merchant })).kind).toBe('success');
    expect(fake.requests.map((r) => form(r.body).method)).toEqual(['alipay.trade.pay', 'alipay.trade.query', 'alipay.trade.cancel', 'alipay.trade.refund']);
    expect(JSON.parse(form(fake.requests[3].body).biz_content)).toMatchObject({ out_request_no: 'RF-1', refund_amount: '1.00' });
    expect(form(fake.requests[1].body).notify_url).toBeUndefined();
    c.close();
  });

  it('a signature over other text, or an unsigned business answer, is unknown(bad-signature)', async () => {
    const c = channel();
    fake.handler = (_req, res) => {
      const signedText = '{"code":"10000","msg":"Success","trade_status":"TRADE_CLOSED"}';
      res.end(`{"alipay_trade_query_response":{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS"},"sign":"${rsaSign(signedText, alipayPrivate)}"}`);
    };
    expect(await c.inquire({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    answer('alipay_trade_pay_response', '{"code":"40004","msg":"Business Failed","sub_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH"}', { sign: false });
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    c.close();
  });

  it('a signed 40004 is a failure; an unsigned gateway refusal (40002) is unknown, never a decline', async () => {
    const c = channel();
    answer('alipay_trade_pay_response', '{"code":"40004","msg":"Business Failed","sub_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH","sub_msg":"余额不足"}');
    expect(await c.pay(pay)).toMatchObject({ kind: 'failure', code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', reason: 'insufficient-balance' });
    answer('error_response', '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}', { sign: false });
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', detail: 'response is not signed' });
    answer('error_response', '{"code":"20001","msg":"Insufficient Token Permissions","sub_code":"aop.invalid-auth-token"}', { sign: false });
    expect(await c.cancel({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    c.close();
  });

  it('certificate mode sends the SNs and insists on the held alipay_cert_sn', async () => {
    const fixtures = join(__dirname, 'fixtures');
    const appCertSn = certSn(readFileSync(join(fixtures, 'app-cert.pem'), 'utf8'));
    const alipayRootCertSn = rootCertSn(readFileSync(join(fixtures, 'root-chain.pem'), 'utf8'));
    const c = channel({ appCertSn, alipayRootCertSn, alipayCertSn: 'held-sn' });
    answer('alipay_trade_query_response', '{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS"}', { certSn: 'held-sn' });
    expect((await c.inquire({ paymentRequestId: 'PR-1', merchant })).kind).toBe('success');
    const params = form(fake.requests[0].body);
    expect(params).toMatchObject({ app_cert_sn: appCertSn, alipay_root_cert_sn: alipayRootCertSn });
    expect(rsaVerify(openapiSignContent(params), params.sign, merchantPublic)).toBe(true);
    answer('alipay_trade_query_response', '{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS"}', { certSn: 'other-sn' });
    expect(await c.inquire({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    c.close();
  });

  it('RSA (SHA1) sign type signs and verifies with SHA1withRSA', async () => {
    const c = channel({ signType: 'RSA' });
    fake.handler = (_req, res) => {
      const node = '{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS"}';
      res.end(`{"alipay_trade_query_response":${node},"sign":"${rsaSign(node, alipayPrivate, 'RSA')}"}`);
    };
    expect((await c.inquire({ paymentRequestId: 'PR-1', merchant })).kind).toBe('success');
    const params = form(fake.requests[0].body);
    expect(params.sign_type).toBe('RSA');
    expect(rsaVerify(openapiSignContent(params), params.sign, merchantPublic, 'RSA')).toBe(true);
    c.close();
  });

  it('an unsupported currency is refused before anything is sent', async () => {
    const c = channel();
    expect(await c.pay({ ...pay, amount: { amountMinor: 100, currency: 'XXX' } })).toMatchObject({
      kind: 'failure',
      code: 'SWITCH.CURRENCY_NOT_SUPPORTED',
      reason: 'currency-not-supported',
    });
    expect(fake.requests).toHaveLength(0);
    c.close();
  });
});

describe('Open Platform notifications', () => {
  const fields: Record<string, string> = {
    notify_time: '2024-03-02 00:30:07',
    notify_type: 'trade_status_sync',
    notify_id: 'n1',
    app_id: APP_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: '2024030122001',
    out_trade_no: 'PR-1',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '12.34',
    subject: '咖啡 & tea',
  };
  const signedBody = (extra: Record<string, string> = {}) => {
    const params = { ...fields, ...extra };
    const sign = rsaSign(openapiNotifySignContent(params), alipayPrivate);
    return new URLSearchParams({ ...params, sign, sign_type: 'RSA2' }).toString();
  };

  it('verifies the v1 rule over the decoded form and parses the trade status', () => {
    const c = channel();
    const n = { path: '/notify/openapi', headers: {}, rawBody: signedBody() };
    expect(c.verifyNotification(n)).toBe(true);
    expect(c.parseNotification(n)).toEqual({ paymentRequestId: 'PR-1', status: 'success', amount: { amountMinor: 1234, currency: 'CNY' }, alipayTransactionId: '2024030122001' });
  });

  it('rejects tampering, another app and an unsigned form', () => {
    const c = channel();
    expect(c.verifyNotification({ path: '/n', headers: {}, rawBody: signedBody().replace('12.34', '99.99') })).toBe(false);
    expect(c.verifyNotification({ path: '/n', headers: {}, rawBody: signedBody({ app_id: '2021999' }) })).toBe(false);
    expect(c.verifyNotification({ path: '/n', headers: {}, rawBody: new URLSearchParams(fields).toString() })).toBe(false);
  });
});
