import { AlipaySdk } from 'alipay-sdk';
import { createChannel } from '../src';
import {
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  openapiNotifySignContent,
  openapiSignContent,
  rsaSign,
  rsaVerify,
} from '../src/signing';

// Proof that our Open Platform signing is the official one: the official Node SDK (alipay-sdk v4) checks
// what our adapter signed, and our primitives check what the SDK signed. No network is involved.

const merchant = generateRsaKeyPair();
const alipay = generateRsaKeyPair();
const APP_ID = '2021000000000001';
const bare = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

const channel = createChannel({
  channel: 'openapi',
  gatewayUrl: 'http://127.0.0.1:9/gateway.do',
  appId: APP_ID,
  merchantPrivateKey: merchant.privateKeyPem,
  alipayPublicKey: alipay.publicKeyPem,
  timeoutMs: 1000,
});

const shop = { merchantId: 'M1', merchantName: '咖啡店', mcc: '5812', storeId: 'S1', storeName: 'Main', terminalId: 'T1', appAuthToken: 'TOKEN' };
let ourParams: Record<string, string>;
beforeAll(async () => {
  ourParams = await channel.buildParams(
    'pay',
    shop,
    { out_trade_no: 'PR-1', scene: 'bar_code', auth_code: '281234567890123456', subject: '咖啡 & tea = 1', total_amount: '12.34' },
    'https://switch.example/notify?a=1&b=2',
  );
});

describe('alipay-sdk agrees with our Open Platform signer', () => {
  // Configured with OUR merchant public key in the place of Alipay's, the SDK verifies our request signature.
  const sdkAsAlipay = new AlipaySdk({ appId: APP_ID, privateKey: bare(alipay.privateKeyPem), keyType: 'PKCS8', alipayPublicKey: bare(merchant.publicKeyPem) });

  it('SDK checkNotifySign accepts the params our adapter signed (sign_type kept, as the v2 request rule says)', () => {
    expect(ourParams.sign_type).toBe('RSA2');
    expect(sdkAsAlipay.checkNotifySign({ ...ourParams })).toBe(true);
  });

  it('SDK rsaCheck accepts our sign content and signature', () => {
    expect(sdkAsAlipay.rsaCheck(openapiSignContent(ourParams), ourParams.sign, 'RSA2')).toBe(true);
  });

  it('SDK rejects our params once anything signed is changed', () => {
    expect(sdkAsAlipay.checkNotifySign({ ...ourParams, biz_content: ourParams.biz_content.replace('12.34', '12.35') })).toBe(false);
    expect(sdkAsAlipay.checkNotifySign({ ...ourParams, app_auth_token: 'OTHER' })).toBe(false);
  });

  it('SDK accepts a notification we sign by the v1 rule (sign and sign_type excluded)', () => {
    const sdkAsMerchant = new AlipaySdk({ appId: APP_ID, privateKey: bare(merchant.privateKeyPem), keyType: 'PKCS8', alipayPublicKey: bare(alipay.publicKeyPem) });
    const notify: Record<string, string> = { app_id: APP_ID, out_trade_no: 'PR-1', trade_status: 'TRADE_SUCCESS', total_amount: '12.34', subject: '咖啡' };
    const sign = rsaSign(openapiNotifySignContent(notify), loadPrivateKey(alipay.privateKeyPem));
    expect(sdkAsMerchant.checkNotifySign({ ...notify, sign, sign_type: 'RSA2' })).toBe(true);
    // ...and our channel agrees on the very same form.
    const rawBody = new URLSearchParams({ ...notify, sign, sign_type: 'RSA2' }).toString();
    expect(channel.verifyNotification({ path: '/notify', headers: {}, rawBody })).toBe(true);
  });
});

describe('our Open Platform verifier agrees with alipay-sdk', () => {
  it('our primitives verify the parameters the SDK signed (sdkExecute order string)', () => {
    const sdk = new AlipaySdk({ appId: APP_ID, privateKey: bare(merchant.privateKeyPem), keyType: 'PKCS8', alipayPublicKey: bare(alipay.publicKeyPem) });
    const orderString = sdk.sdkExecute('alipay.trade.query', { bizContent: { out_trade_no: 'PR-1', note: 'a&b=c 咖啡' } });
    const params = Object.fromEntries(new URLSearchParams(orderString));
    expect(params.method).toBe('alipay.trade.query');
    expect(params.sign_type).toBe('RSA2');
    const key = loadPublicKey(merchant.publicKeyPem);
    expect(rsaVerify(openapiSignContent(params), params.sign, key, 'RSA2')).toBe(true);
    expect(rsaVerify(openapiSignContent({ ...params, app_id: '2021999' }), params.sign, key, 'RSA2')).toBe(false);
  });

  it('our notification check accepts what the SDK would sign as Alipay under the v2 rule (the SDK fallback)', () => {
    const sdkAsAlipay = new AlipaySdk({ appId: APP_ID, privateKey: bare(alipay.privateKeyPem), keyType: 'PKCS8', alipayPublicKey: bare(merchant.publicKeyPem) });
    const orderString = sdkAsAlipay.sdkExecute('alipay.trade.pay', { bizContent: { out_trade_no: 'PR-9' } });
    const params = Object.fromEntries(new URLSearchParams(orderString));
    const rawBody = new URLSearchParams({ ...params, trade_status: 'TRADE_SUCCESS', out_trade_no: 'PR-9' }).toString();
    // Extra fields after signing must break it; the untouched form must pass.
    expect(channel.verifyNotification({ path: '/n', headers: {}, rawBody })).toBe(false);
    expect(channel.verifyNotification({ path: '/n', headers: {}, rawBody: new URLSearchParams(params).toString() })).toBe(true);
  });
});
