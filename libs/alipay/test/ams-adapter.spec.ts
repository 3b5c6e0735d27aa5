import { createChannel } from '../src';
import type { MerchantContext, PayRequest } from '../src/channel.port';
import {
  amsSignContent,
  formatAmsSignatureHeader,
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  parseAmsSignatureHeader,
  rsaSign,
  rsaVerify,
} from '../src/signing';
import { closedPort, FakeAlipay } from './support/fake-alipay';

const merchantKeys = generateRsaKeyPair();
const alipayKeys = generateRsaKeyPair();
const alipayPrivate = loadPrivateKey(alipayKeys.privateKeyPem);
const merchantPublic = loadPublicKey(merchantKeys.publicKeyPem);
const CLIENT_ID = 'SANDBOX_5YBZ1K2ZJ';
const NOW = new Date('2024-03-01T00:00:00.000Z');

const merchant: MerchantContext = { merchantId: 'M1', merchantName: 'Cafe', mcc: '5812', storeId: 'S1', storeName: 'Main', terminalId: 'T1' };
const pay: PayRequest = {
  paymentRequestId: 'PR-1',
  paymentCode: '281234567890123456',
  amount: { amountMinor: 1000, currency: 'USD' },
  subject: 'Coffee',
  merchant,
  terminalRequestTime: NOW,
};

let fake: FakeAlipay;
beforeAll(async () => {
  fake = await FakeAlipay.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function channel(overrides: { baseUrl?: string; timeoutMs?: number } = {}) {
  return createChannel({
    channel: 'ams',
    baseUrl: overrides.baseUrl ?? fake.url,
    clientId: CLIENT_ID,
    merchantPrivateKey: merchantKeys.privateKeyPem,
    alipayPublicKey: alipayKeys.publicKeyPem,
    timeoutMs: overrides.timeoutMs ?? 2000,
    now: () => NOW,
  });
}

/** Answers as Alipay does: headers client-id, response-time and a signature over the exact body. */
function signedAnswer(body: object, opts: { clientId?: string; tamper?: boolean } = {}) {
  fake.handler = (req, res) => {
    const text = JSON.stringify(body);
    const time = '2024-03-01T08:00:01+08:00';
    const path = new URL(req.url, 'http://x').pathname;
    const signature = rsaSign(amsSignContent('POST', path, CLIENT_ID, time, text), alipayPrivate);
    res.setHeader('content-type', 'application/json');
    res.setHeader('client-id', opts.clientId ?? CLIENT_ID);
    res.setHeader('response-time', time);
    res.setHeader('signature', formatAmsSignatureHeader(signature));
    res.end(opts.tamper ? text.replace('"S"', '"F"') : text);
  };
}

describe('AMS adapter over HTTP', () => {
  it('sends a signed UPM pay and reads a signed S as success', async () => {
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' }, paymentId: '2024030100001', paymentTime: '2024-03-01T08:00:01+08:00' });
    const c = channel();
    const out = await c.pay({ ...pay, merchant: { ...merchant, agentToken: 'AGENT-TOKEN-1' } });

    expect(out).toMatchObject({ kind: 'success', alipayTransactionId: '2024030100001', completedAt: new Date('2024-03-01T00:00:01Z') });
    expect(out.kind === 'success' && out.raw).toMatchObject({ api: '/ams/api/v1/payments/pay', requestId: 'PR-1', httpStatus: 200, resultCode: 'SUCCESS' });

    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/ams/api/v1/payments/pay');
    expect(req.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(req.headers['client-id']).toBe(CLIENT_ID);
    expect(req.headers['request-time']).toBe(String(NOW.getTime()));
    expect(req.headers['agent-token']).toBe('AGENT-TOKEN-1');
    const sig = parseAmsSignatureHeader(String(req.headers.signature));
    expect(sig).toMatchObject({ algorithm: 'RSA256', keyVersion: '1' });
    const content = amsSignContent('POST', '/ams/api/v1/payments/pay', CLIENT_ID, String(NOW.getTime()), req.body);
    expect(rsaVerify(content, sig?.signature ?? '', merchantPublic)).toBe(true);
    expect(JSON.parse(req.body)).toMatchObject({
      productCode: 'IN_STORE_PAYMENT',
      paymentRequestId: 'PR-1',
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: '281234567890123456' },
      paymentAmount: { currency: 'USD', value: '1000' },
    });
    c.close();
  });

  it('omits Agent-Token when the merchant has none and routes inquiry, cancel and refund to their paths', async () => {
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentStatus: 'PROCESSING' });
    const c = channel();
    expect((await c.inquire({ paymentRequestId: 'PR-1', merchant })).kind).toBe('processing');
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' } });
    expect((await c.cancel({ paymentRequestId: 'PR-1', merchant })).kind).toBe('success');
    const refund = await c.refund({ paymentRequestId: 'PR-1', refundRequestId: 'RF-1', amount: { amountMinor: 5, currency: 'USD' }, merchant, alipayTransactionId: 'P1' });
    expect(refund).toMatchObject({ kind: 'success', raw: { requestId: 'RF-1', api: '/ams/api/v1/payments/refund' } });
    expect(fake.requests.map((r) => r.url)).toEqual(['/ams/api/v1/payments/inquiryPayment', '/ams/api/v1/payments/cancel', '/ams/api/v1/payments/refund']);
    expect(fake.requests.every((r) => r.headers['agent-token'] === undefined)).toBe(true);
    const refundBody = JSON.parse(fake.requests[2].body) as Record<string, unknown>;
    expect(refundBody).toMatchObject({ paymentId: 'P1', refundRequestId: 'RF-1', refundAmount: { currency: 'USD', value: '5' } });
    expect(refundBody.paymentRequestId).toBeUndefined();
    c.close();
  });

  it('asks for the paymentId first when it is not known, and refunds by it', async () => {
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentStatus: 'SUCCESS', paymentId: 'P9', paymentRequestId: 'PR-1' });
    const c = channel();
    const refund = await c.refund({ paymentRequestId: 'PR-1', refundRequestId: 'RF-2', amount: { amountMinor: 5, currency: 'USD' }, merchant });
    expect(refund.kind).toBe('success');
    expect(fake.requests.map((r) => r.url)).toEqual(['/ams/api/v1/payments/inquiryPayment', '/ams/api/v1/payments/refund']);
    expect(JSON.parse(fake.requests[0].body)).toEqual({ paymentRequestId: 'PR-1' });
    expect(JSON.parse(fake.requests[1].body)).toMatchObject({ paymentId: 'P9', refundRequestId: 'RF-2' });
    c.close();
  });

  it('sends no refund when the inquiry cannot name the payment', async () => {
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentStatus: 'PROCESSING' });
    const c = channel();
    const refund = await c.refund({ paymentRequestId: 'PR-1', refundRequestId: 'RF-3', amount: { amountMinor: 5, currency: 'USD' }, merchant });
    expect(refund).toMatchObject({ kind: 'unknown', cause: 'status-unknown' });
    expect(fake.requests.map((r) => r.url)).toEqual(['/ams/api/v1/payments/inquiryPayment']);
    c.close();
  });

  it('reuses one keep-alive connection across calls', async () => {
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentStatus: 'SUCCESS' });
    const before = fake.connections;
    const c = channel();
    for (let i = 0; i < 3; i++) await c.inquire({ paymentRequestId: `PR-${i}`, merchant });
    expect(fake.connections - before).toBe(1);
    c.close();
  });

  it('a tampered body, a foreign client-id or a missing signature is unknown(bad-signature)', async () => {
    const c = channel();
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' } }, { tamper: true });
    expect(await c.cancel({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    signedAnswer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' } }, { clientId: 'SOMEONE_ELSE' });
    expect(await c.cancel({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    fake.handler = (_req, res) => res.end(JSON.stringify({ result: { resultStatus: 'S', resultCode: 'SUCCESS' } }));
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', raw: { resultCode: 'SUCCESS' } });
    c.close();
  });

  it('an unsigned refusal (INVALID_SIGNATURE, or a forged decline) is unknown, never a decline', async () => {
    fake.handler = (_req, res) => res.end(JSON.stringify({ result: { resultStatus: 'F', resultCode: 'INVALID_SIGNATURE', resultMessage: 'x' } }));
    const c = channel();
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'bad-signature', raw: { resultCode: 'INVALID_SIGNATURE' } });
    fake.handler = (_req, res) => res.end(JSON.stringify({ result: { resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED', resultMessage: 'x' } }));
    expect(await c.cancel({ paymentRequestId: 'PR-1', merchant })).toMatchObject({ kind: 'unknown', cause: 'bad-signature' });
    c.close();
  });

  it('HTTP errors and non-JSON bodies are unknown(http-error)', async () => {
    const c = channel();
    fake.handler = (_req, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    };
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'http-error', raw: { httpStatus: 502 } });
    fake.handler = (_req, res) => res.end('<html>');
    expect(await c.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'http-error', raw: { httpStatus: 200 } });
    c.close();
  });

  it('no answer within timeoutMs is unknown(timeout); a refused connection is unknown(network)', async () => {
    fake.handler = () => undefined; // never answers
    const slow = channel({ timeoutMs: 150 });
    expect(await slow.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'timeout', raw: { requestId: 'PR-1' } });
    slow.close();
    const dead = channel({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(await dead.pay(pay)).toMatchObject({ kind: 'unknown', cause: 'network', detail: 'ECONNREFUSED' });
    dead.close();
  });

  it('a non-positive amount is refused before anything is sent', async () => {
    const c = channel();
    expect(await c.pay({ ...pay, amount: { amountMinor: 0, currency: 'USD' } })).toMatchObject({ kind: 'failure', code: 'SWITCH.INVALID_AMOUNT', reason: 'invalid-request' });
    expect(await c.pay({ ...pay, amount: { amountMinor: 1.5, currency: 'USD' } })).toMatchObject({ kind: 'failure', code: 'SWITCH.INVALID_AMOUNT' });
    expect(fake.requests).toHaveLength(0);
    c.close();
  });
});

describe('AMS notifications', () => {
  const body = JSON.stringify({ notifyType: 'PAYMENT_RESULT', result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentRequestId: 'PR-1', paymentId: 'P1', paymentAmount: { currency: 'USD', value: '1000' } });
  const time = '1709251200000';
  const signed = (path: string, text: string) => formatAmsSignatureHeader(rsaSign(amsSignContent('POST', path, CLIENT_ID, time, text), alipayPrivate));
  const notification = { path: '/notify/ams', headers: { 'Client-Id': CLIENT_ID, 'Request-Time': time, Signature: signed('/notify/ams', body) }, rawBody: body };

  it('verifies the signature over the notify path and parses the result', () => {
    const c = channel();
    expect(c.verifyNotification(notification)).toBe(true);
    expect(c.verifyNotification({ ...notification, path: '/notify/ams?x=1' })).toBe(true);
    expect(c.parseNotification(notification)).toEqual({ paymentRequestId: 'PR-1', status: 'success', amount: { amountMinor: 1000, currency: 'USD' }, alipayTransactionId: 'P1' });
  });

  it('rejects a tampered body, another path, another client, and missing headers', () => {
    const c = channel();
    expect(c.verifyNotification({ ...notification, rawBody: body.replace('1000', '1') })).toBe(false);
    expect(c.verifyNotification({ ...notification, path: '/other' })).toBe(false);
    expect(c.verifyNotification({ ...notification, headers: { ...notification.headers, 'Client-Id': 'X' } })).toBe(false);
    expect(c.verifyNotification({ ...notification, headers: { 'Client-Id': CLIENT_ID, 'Request-Time': time } })).toBe(false);
    expect(c.verifyNotification({ ...notification, headers: { ...notification.headers, Signature: 'garbage' } })).toBe(false);
  });
});
