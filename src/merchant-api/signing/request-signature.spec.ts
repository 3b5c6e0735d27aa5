import { contentToSign, parseRequestTime, signatureHeader, signatureMatches, signatureOf } from './request-signature';
import { verifyWebhook, webhookSignature } from './webhook-signature';

// The worked example of docs/merchant-api.md: the figures there must be the ones the code computes.
const SECRET = 'sk_exampleexampleexampleexampleexampleexample0';
const PARTS = {
  method: 'POST',
  path: '/pay/v1/payments',
  clientId: 'mc_0123456789abcdef01234567',
  requestTime: '2026-12-05T10:00:00.000Z',
  body: '{"paymentCode":"281234567890123000","amountMinor":1250,"currency":"USD","merchantOrderId":"ORDER-1"}',
};

describe('merchant request signature', () => {
  it('signs the documented example as docs/merchant-api.md shows', () => {
    expect(contentToSign(PARTS)).toBe(`POST /pay/v1/payments\nmc_0123456789abcdef01234567.2026-12-05T10:00:00.000Z.${PARTS.body}`);
    expect(signatureHeader(PARTS, SECRET)).toBe('algorithm=HMAC-SHA256, keyVersion=1, signature=iYC7E6iQJvImOT6SeazO_2_Phj1MyCJG-PwxBG1yqY4');
  });

  it('accepts only its own header form and the exact signature', () => {
    const signature = signatureOf(signatureHeader(PARTS, SECRET))!;
    expect(signatureMatches(PARTS, SECRET, signature)).toBe(true);
    expect(signatureMatches({ ...PARTS, body: `${PARTS.body} ` }, SECRET, signature)).toBe(false);
    expect(signatureMatches({ ...PARTS, path: '/pay/v1/payments?x=1' }, SECRET, signature)).toBe(false);
    expect(signatureMatches(PARTS, `${SECRET}x`, signature)).toBe(false);
    expect(signatureMatches(PARTS, SECRET, 'short')).toBe(false);
    expect(signatureOf(`algorithm=RSA256, keyVersion=1, signature=${signature}`)).toBeUndefined();
    expect(signatureOf(`algorithm=HMAC-SHA256, keyVersion=2, signature=${signature}`)).toBeUndefined();
    expect(signatureOf(undefined)).toBeUndefined();
  });

  it('takes Request-Time only as ISO 8601 UTC', () => {
    expect(parseRequestTime('2026-12-05T10:00:00.000Z')?.toISOString()).toBe('2026-12-05T10:00:00.000Z');
    expect(parseRequestTime('2026-12-05T10:00:00+01:00')).toBeUndefined();
    expect(parseRequestTime('1796464800')).toBeUndefined();
  });
});

describe('webhook signature', () => {
  it('signs "<t>.<body>" as docs/merchant-api.md shows, and a receiver checks it and its age', () => {
    const body = '{"id":"6f1c","type":"payment.approved"}';
    const at = new Date('2026-12-05T10:00:00Z');
    const header = webhookSignature(body, SECRET, at);
    expect(header).toBe('t=1796464800, v1=d287ce82d449dcb32d400b443f2b82b698140b44c3510bcfa042b16be4ae3026');
    expect(verifyWebhook(body, header, SECRET, at)).toBe(true);
    expect(verifyWebhook(`${body} `, header, SECRET, at)).toBe(false);
    expect(verifyWebhook(body, header, SECRET, new Date(at.getTime() + 600_000))).toBe(false);
  });
});
