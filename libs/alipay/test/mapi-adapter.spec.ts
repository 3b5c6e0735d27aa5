import { createChannel } from '../src';
import type { MerchantContext, PayRequest } from '../src/channel.port';
import { ChannelConfigError, MapiConfig } from '../src/config';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, mapiMd5Sign, mapiSignContent, rsaSign, rsaVerify } from '../src/signing';
import { FakeAlipay } from './support/fake-alipay';

const PARTNER = '2088101122136241';
const MD5_KEY = '760bdzec6y9goq7ctyx96ezkz78287de';
const merchantKeys = generateRsaKeyPair();
const alipayKeys = generateRsaKeyPair();
const alipayPrivate = loadPrivateKey(alipayKeys.privateKeyPem);
const NOW = new Date('2024-03-01T00:00:00Z');

const merchant: MerchantContext = { merchantId: 'SM-1', merchantName: 'Ticket Desk', mcc: '7991', storeId: 'S1', storeName: 'Gate 1', terminalId: 'T1' };
const pay: PayRequest = {
  paymentRequestId: 'PR-1',
  paymentCode: '281234567890123456',
  amount: { amountMinor: 2050, currency: 'HKD' },
  subject: 'Adult ticket',
  merchant,
  terminalRequestTime: NOW,
};

let fake: FakeAlipay;
beforeAll(async () => {
  fake = await FakeAlipay.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function channel(extra: Partial<MapiConfig> = {}) {
  return createChannel({
    channel: 'mapi',
    gatewayUrl: `${fake.url}/mapi/gateway.do`,
    partner: PARTNER,
    signType: 'MD5',
    md5Key: MD5_KEY,
    timeoutMs: 2000,
    now: () => NOW,
    ...extra,
  } as MapiConfig);
}

const form = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** MAPI's XML answer, signed over the response/alipay children by the MAPI rule. */
function answer(fields: Record<string, string>, opts: { signType?: 'MD5' | 'RSA2'; tamper?: boolean; unsigned?: boolean } = {}) {
  fake.handler = (_req, res) => {
    const signType = opts.signType ?? 'MD5';
    const sign = signType === 'MD5' ? mapiMd5Sign(fields, MD5_KEY) : rsaSign(mapiSignContent(fields), alipayPrivate, 'RSA2');
    const shown = opts.tamper ? { ...fields, result_code: 'SUCCESS', alipay_trans_status: 'TRADE_SUCCESS' } : fields;
    const children = Object.entries(shown).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
    const signXml = opts.unsigned ? '' : `<sign>${sign}</sign><sign_type>${signType}</sign_type>`;
    res.setHeader('content-type', 'text/xml; charset=utf-8');
    res.end(`<?xml version="1.0" encoding="utf-8"?>\n<alipay>\n  <is_success>T</is_success>\n  <request><param name="service">x</param></request>\n  <response><alipay>${children}</alipay></response>\n  ${signXml}\n</alipay>`);
  };
}

describe('MAPI adapter over HTTP', () => {
  it('posts a signed spot.pay (MD5) and reads a signed SUCCESS as success', async () => {
    answer({ result_code: 'SUCCESS', alipay_trans_id: '2024030121001', partner_trans_id: 'PR-1', alipay_pay_time: '20240301080001', trans_amount: '20.50', currency: 'HKD' });
    const c = channel();
    const out = await c.pay({ ...pay, notifyUrl: 'https://switch.example/notify/mapi' });
    expect(out).toMatchObject({ kind: 'success', alipayTransactionId: '2024030121001', completedAt: new Date('2024-03-01T00:00:01Z') });
    expect(out.kind === 'success' && out.raw).toMatchObject({ api: 'alipay.acquire.overseas.spot.pay', requestId: 'PR-1', resultCode: 'SUCCESS' });

    const [req] = fake.requests;
    expect(req.url).toBe('/mapi/gateway.do?_input_charset=utf-8');
    const params = form(req.body);
    expect(params).toMatchObject({
      service: 'alipay.acquire.overseas.spot.pay',
      partner: PARTNER,
      _input_charset: 'utf-8',
      sign_type: 'MD5',
      alipay_seller_id: PARTNER,
      partner_trans_id: 'PR-1',
      trans_amount: '20.50',
      currency: 'HKD',
      buyer_identity_code: '281234567890123456',
      identity_code_type: 'barcode',
      trans_create_time: '20240301080000',
      biz_product: 'OVERSEAS_MBARCODE_PAY',
      notify_url: 'https://switch.example/notify/mapi',
    });
    expect(JSON.parse(params.extend_info)).toEqual({
      secondary_merchant_id: 'SM-1',
      secondary_merchant_name: 'Ticket Desk',
      secondary_merchant_industry: '7991',
      store_id: 'S1',
      store_name: 'Gate 1',
      terminal_id: 'T1',
    });
    expect(params.sign).toBe(mapiMd5Sign(params, MD5_KEY));
    c.close();
  });

  it('query, cancel and refund use their services', async () => {
    const c = channel();
    answer({ result_code: 'SUCCESS', alipay_trans_status: 'WAIT_BUYER_PAY', partner_trans_id: 'PR-1' });
    expect((await c.inquire({ paymentRequestId: 'PR-1', merchant })).kind).toBe('processing');
    answer({ result_code: 'SUCCESS', retry_flag: 'N', action: 'close', out_trade_no: 'PR-1' });
    expect((await c.cancel({ paymentRequestId: 'PR-1', merchant })).kind).toBe('success');
    answer({ result_code: 'SUCCESS', alipay_trans_id: 'A1', partner_refund_id: 'RF-1' });
    expect((await c.refund({ paymentRequestId: 'PR-1', refundRequestId: 'RF-1', amount: { amountMinor: 1000, currency: 'JPY' }, merchant })).kind).toBe('success');
    const [query, cancel, refund] = fake.requests.map((r) => form(r.body));
    expect(query).toMatchObject({ service: 'alipay.acquire.overseas.query', partner_trans_id: 'PR-1' });
    expect(cancel).toMatchObject({ service: 'alipay.acquire.cancel', out_trade_no: 'PR-1', timestamp: String(NOW.getTime()) });
    expect(refund).toMatchObject({ service: 'alipay.acquire.overseas.spot.refund', partner_refund_id: 'RF-1', refund_amount: '1000', currency: 'JPY', is_sync: 'Y' });
    c.close();
  });

  it('a tampered or unsigned answer is unknown(bad-signature)', async () => {
    const c = channel();
    answer({ result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' }, { tamper: true });
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    answer({ result_code: 'SUCCESS', alipay_trans_id: 'A1' }, { unsigned: true });
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', detail: 'response is not signed' });
    c.close();
  });

  it('a signed FAILED is a failure; an unsigned is_success=F refusal is unknown, never a decline', async () => {
    const c = channel();
    answer({ result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' });
    expect(await c.pay(pay)).toMatchObject({ kind: 'failure', code: 'BUYER_BALANCE_NOT_ENOUGH', reason: 'insufficient-balance' });
    fake.handler = (_req, res) => res.end('<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>ILLEGAL_SIGN</error></alipay>');
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', detail: 'unsigned is_success F ILLEGAL_SIGN', raw: { resultCode: 'ILLEGAL_SIGN' } });
    fake.handler = (_req, res) => res.end('<alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>');
    expect(await c.cancel({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    c.close();
  });

  it('a body that is not MAPI XML is unknown(http-error)', async () => {
    const c = channel();
    fake.handler = (_req, res) => res.end('<html><body>gateway error');
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'http-error' });
    c.close();
  });

  it('RSA2 sign type signs requests with the merchant key and checks answers with Alipay\'s', async () => {
    const c = channel({ signType: 'RSA2', md5Key: undefined, merchantPrivateKey: merchantKeys.privateKeyPem, alipayPublicKey: alipayKeys.publicKeyPem });
    answer({ result_code: 'SUCCESS', alipay_trans_status: 'TRADE_SUCCESS', alipay_trans_id: 'A2' }, { signType: 'RSA2' });
    expect(await c.inquire({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'success', alipayTransactionId: 'A2' });
    const params = form(fake.requests[0].body);
    expect(params.sign_type).toBe('RSA2');
    expect(rsaVerify(mapiSignContent(params), params.sign, loadPublicKey(merchantKeys.publicKeyPem), 'RSA2')).toBe(true);
    answer({ result_code: 'SUCCESS', alipay_trans_status: 'TRADE_SUCCESS' }, { signType: 'MD5' });
    expect(await c.inquire({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    c.close();
  });

  it('refuses a configuration without the key its sign type needs', () => {
    expect(() => channel({ md5Key: undefined })).toThrow(ChannelConfigError);
    expect(() => channel({ signType: 'RSA2', md5Key: undefined })).toThrow(/needs merchantPrivateKey/);
  });
});

describe('MAPI notifications', () => {
  const fields = { notify_type: 'trade_status_sync', notify_id: 'n1', notify_time: '2024-03-01 08:00:02', partner: PARTNER, partner_trans_id: 'PR-1', trade_no: 'A1', trade_status: 'TRADE_SUCCESS', trans_amount: '20.50', currency: 'HKD' };
  const body = new URLSearchParams({ ...fields, sign: mapiMd5Sign(fields, MD5_KEY), sign_type: 'MD5' }).toString();

  it('verifies the MD5 sign and parses the trade status', () => {
    const c = channel();
    expect(c.verifyNotification({ path: '/n', headers: {}, rawBody: body })).toBe(true);
    expect(c.parseNotification({ path: '/n', headers: {}, rawBody: body })).toEqual({ paymentRequestId: 'PR-1', status: 'success', amount: { amountMinor: 2050, currency: 'HKD' }, alipayTransactionId: 'A1' });
  });

  it('rejects tampering and a foreign partner', () => {
    const c = channel();
    expect(c.verifyNotification({ path: '/n', headers: {}, rawBody: body.replace('20.50', '0.01') })).toBe(false);
    const foreign = { ...fields, partner: '2088000000000000' };
    expect(c.verifyNotification({ path: '/n', headers: {}, rawBody: new URLSearchParams({ ...foreign, sign: mapiMd5Sign(foreign, MD5_KEY) }).toString() })).toBe(false);
  });
});
