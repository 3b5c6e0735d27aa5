import { AlipaySdk } from 'alipay-sdk';
import { generateRsaKeyPair } from '../src/signing';
import { loadSandboxCredentials, RunningSandbox, startSandbox } from '../src/sandbox';
import { getPayment } from '../src/sandbox/testing/control-client';

// The official Node SDK (v2 gateway, exec) against the sandbox: the sandbox must accept the SDK's request
// format and signature, and the SDK must accept the sandbox's signed answers.

let sandbox: RunningSandbox;
let serial = 0;
// One key pair the sandbox has never seen, for both directions of "wrong key".
const stranger = generateRsaKeyPair();
const newId = (): string => `SDK${Date.now()}${++serial}`;
const code = (suffix: string): string => `28${String(++serial).padStart(13, '0')}${suffix}`;

function sdkFor(
  target: RunningSandbox,
  alipayPublicKey = target.credentials.openapi.alipayPublicKey,
): AlipaySdk {
  return new AlipaySdk({
    appId: target.credentials.openapi.appId,
    privateKey: target.credentials.openapi.merchantPrivateKey,
    keyType: 'PKCS8',
    alipayPublicKey,
    gateway: `${target.url}/gateway.do`,
    timeout: 2000,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe('alipay-sdk exec against the sandbox', () => {
  it('completes alipay.trade.pay with validateSign', async () => {
    const id = newId();
    const result = await sdkFor(sandbox).exec(
      'alipay.trade.pay',
      {
        bizContent: {
          outTradeNo: id,
          scene: 'bar_code',
          authCode: code('000'),
          subject: 'coffee',
          totalAmount: '12.34',
        },
      },
      { validateSign: true },
    );
    expect(result).toMatchObject({ code: '10000', msg: 'Success', outTradeNo: id, totalAmount: '12.34' });
    expect(result.tradeNo).toMatch(/^\d{28}$/);
    expect(await getPayment(sandbox.url, id)).toMatchObject({
      status: 'SUCCESS',
      amountMinor: 1234,
      currency: 'CNY',
    });
  });

  it('reads a 10003 answer, then the query that finds the user confirmed', async () => {
    const id = newId();
    const sdk = sdkFor(sandbox);
    const pay = await sdk.exec(
      'alipay.trade.pay',
      {
        bizContent: {
          outTradeNo: id,
          scene: 'bar_code',
          authCode: code('001'),
          subject: 's',
          totalAmount: '1.00',
        },
      },
      { validateSign: true },
    );
    expect(pay.code).toBe('10003');
    const statuses: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: id } }, { validateSign: true }))
          .tradeStatus,
      );
    }
    expect(statuses).toEqual(['WAIT_BUYER_PAY', 'WAIT_BUYER_PAY', 'TRADE_SUCCESS']);
  });

  it('reads a signed 40004 decline and a refund', async () => {
    const sdk = sdkFor(sandbox);
    const declined = await sdk.exec(
      'alipay.trade.pay',
      {
        bizContent: {
          outTradeNo: newId(),
          scene: 'bar_code',
          authCode: code('002'),
          subject: 's',
          totalAmount: '1.00',
        },
      },
      { validateSign: true },
    );
    expect(declined).toMatchObject({ code: '40004', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });

    const id = newId();
    await sdk.exec('alipay.trade.pay', {
      bizContent: {
        outTradeNo: id,
        scene: 'bar_code',
        authCode: code('000'),
        subject: 's',
        totalAmount: '5.00',
      },
    });
    const refund = await sdk.exec(
      'alipay.trade.refund',
      { bizContent: { outTradeNo: id, refundAmount: '2.00', outRequestNo: 'R1' } },
      { validateSign: true },
    );
    expect(refund).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '2.00' });
  });

  it('exchanges an app auth code (alipay.system.oauth.token) and creates an in-app trade for that buyer (alipay.trade.create)', async () => {
    const sdk = sdkFor(sandbox);
    const issued = (await (await fetch(`${sandbox.url}/sandbox/app/auth-code`, { method: 'POST', body: '{}' })).json()) as {
      authCode: string;
      userId: string;
    };
    const token = await sdk.exec('alipay.system.oauth.token', { grantType: 'authorization_code', code: issued.authCode }, { validateSign: true });
    expect(token).toMatchObject({ userId: issued.userId });
    const id = newId();
    const created = await sdk.exec(
      'alipay.trade.create',
      { bizContent: { outTradeNo: id, totalAmount: '38.50', subject: 'Table 7', buyerId: issued.userId, productCode: 'JSAPI_PAY' } },
      { validateSign: true },
    );
    expect(created).toMatchObject({ code: '10000', outTradeNo: id });
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'PROCESSING', amountMinor: 3850, alipayTransactionId: created.tradeNo });
  });

  it('rejects the answer when the SDK holds a different Alipay public key', async () => {
    await expect(
      sdkFor(sandbox, stranger.publicKeyPem).exec(
        'alipay.trade.query',
        { bizContent: { outTradeNo: newId() } },
        { validateSign: true },
      ),
    ).rejects.toThrow(/验签失败/);
  });

  it('refuses an SDK signing with a key the sandbox does not know (isv.invalid-signature)', async () => {
    const own = loadSandboxCredentials();
    const sdk = new AlipaySdk({
      appId: own.openapi.appId,
      privateKey: stranger.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: own.openapi.alipayPublicKey,
      gateway: `${sandbox.url}/gateway.do`,
    });
    const result = await sdk.exec(
      'alipay.trade.query',
      { bizContent: { outTradeNo: newId() } },
      { validateSign: true },
    );
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
  });
});
