import { createChannel, MerchantContext, OpenapiChannel } from '../src';
import { mapCreateOrder, mapOauthToken } from '../src/openapi/openapi.in-app.mapper';
import { RunningSandbox, startSandbox } from '../src/sandbox';
import { getPayment } from '../src/sandbox/testing/control-client';
import { NotificationReceiver, startReceiver } from '../src/sandbox/testing/receiver';

// The smart-restaurant calls (alipay.system.oauth.token, alipay.trade.create) through the real Open Platform
// adapter against the sandbox over HTTP, with the sandbox playing the Alipay app (auth codes, tradePay).

let sandbox: RunningSandbox;
let receiver: NotificationReceiver;
let channel: OpenapiChannel;
let serial = 0;
const merchant: MerchantContext = {
  merchantId: 'M002',
  merchantName: 'Table Cafe',
  mcc: '5812',
  storeId: 'S02',
  storeName: 'Garden',
  terminalId: 'H5ORDERS',
};
const newId = (): string => `H5${Date.now()}${++serial}`;

async function appPost(path: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function authCode(userId?: string): Promise<string> {
  const { json } = await appPost('/sandbox/app/auth-code', userId ? { userId } : {});
  return json.authCode as string;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, notifyRetryDelaysMs: [0] });
  receiver = await startReceiver(() => ({ status: 200, body: 'success' }));
  const c = sandbox.credentials.openapi;
  channel = createChannel({
    channel: 'openapi',
    gatewayUrl: `${sandbox.url}/gateway.do`,
    appId: c.appId,
    merchantPrivateKey: c.merchantPrivateKey,
    alipayPublicKey: c.alipayPublicKey,
    timeoutMs: 3000,
  });
});
afterAll(async () => {
  channel.close();
  await receiver.close();
  await sandbox.close();
});

describe('alipay.system.oauth.token', () => {
  it('turns an auth_code from the app into its user id, once', async () => {
    const code = await authCode('2088000011112222');
    const first = await channel.inApp.exchangeAuthCode({ authCode: code, merchant });
    expect(first).toMatchObject({ kind: 'user', userId: '2088000011112222', raw: { api: 'alipay.system.oauth.token' } });
    const again = await channel.inApp.exchangeAuthCode({ authCode: code, merchant });
    expect(again).toMatchObject({ kind: 'refused', code: 'isv.code-invalid' });
  });

  it('refuses a code the app never issued', async () => {
    expect(await channel.inApp.exchangeAuthCode({ authCode: 'made-up', merchant })).toMatchObject({
      kind: 'refused',
      code: 'isv.code-invalid',
    });
  });
});

describe("alipay.trade.create and the app's tradePay", () => {
  const order = (id: string, buyerId: string, amountMinor = 3850) =>
    channel.inApp.createOrder({
      paymentRequestId: id,
      buyerId,
      amount: { amountMinor, currency: 'CNY' },
      subject: 'Table 7',
      merchant,
      notifyUrl: `${receiver.url}/notifications/openapi`,
    });

  it('creates a waiting trade; confirming pays it, notifies and the query says success', async () => {
    const id = newId();
    const created = await order(id, '2088000033334444');
    expect(created).toMatchObject({ kind: 'created', raw: { api: 'alipay.trade.create', resultCode: '10000' } });
    const tradeNo = created.kind === 'created' ? created.tradeNo : '';
    expect(await channel.inquire({ paymentRequestId: id, merchant })).toMatchObject({ kind: 'processing' });

    const tapped = await appPost('/sandbox/app/trade-pay', { tradeNo, action: 'confirm' });
    expect(tapped).toEqual({ status: 200, json: { resultCode: '9000', tradeNo, status: 'SUCCESS' } });
    const [notice] = await receiver.waitFor(1);
    const params = new URLSearchParams(notice.body);
    expect(params.get('trade_status')).toBe('TRADE_SUCCESS');
    expect(params.get('buyer_id')).toBe('2088000033334444');
    expect(channel.verifyNotification({ path: notice.path, headers: {}, rawBody: notice.body })).toBe(true);
    expect(await channel.inquire({ paymentRequestId: id, merchant })).toMatchObject({
      kind: 'success',
      alipayTransactionId: tradeNo,
    });
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'SUCCESS', amountMinor: 3850 });

    const twice = await appPost('/sandbox/app/trade-pay', { tradeNo, action: 'decline' });
    expect(twice.status).toBe(409);
    expect(twice.json).toMatchObject({ error: 'TRADE_NOT_WAITING', status: 'SUCCESS' });
    // The same out_trade_no again: already paid.
    expect(await order(id, '2088000033334444')).toMatchObject({ kind: 'unknown', detail: 'code 40004 ACQ.TRADE_HAS_SUCCESS' });
  });

  it('declining closes the trade: the query says closed and nothing was taken', async () => {
    const id = newId();
    const created = await order(id, '2088000055556666', 1200);
    const tradeNo = created.kind === 'created' ? created.tradeNo : '';
    const tapped = await appPost('/sandbox/app/trade-pay', { tradeNo, action: 'decline' });
    expect(tapped.json).toMatchObject({ resultCode: '6001', status: 'CANCELLED' });
    expect(await channel.inquire({ paymentRequestId: id, merchant })).toMatchObject({ kind: 'failure', reason: 'closed' });
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'close' });
    expect(await order(id, '2088000055556666', 1200)).toMatchObject({ kind: 'failure', code: 'ACQ.TRADE_HAS_CLOSE', reason: 'closed' });
  });

  it('a repeat with another amount is inconsistent; a bad amount never leaves the switch', async () => {
    const id = newId();
    await order(id, '2088000077778888', 500);
    expect(await order(id, '2088000077778888', 600)).toMatchObject({ kind: 'failure', reason: 'duplicate-inconsistent' });
    expect(await order(newId(), '2088000077778888', 0)).toMatchObject({ kind: 'failure', code: 'SWITCH.INVALID_AMOUNT' });
  });

  it('the control endpoint refuses what it cannot act on', async () => {
    expect((await appPost('/sandbox/app/trade-pay', { tradeNo: '2024', action: 'confirm' })).status).toBe(404);
    expect((await appPost('/sandbox/app/trade-pay', { tradeNo: '2024', action: 'maybe' })).status).toBe(400);
    expect((await appPost('/sandbox/app/auth-code', { userId: 'someone' })).status).toBe(400);
    const shim = await fetch(`${sandbox.url}/sandbox/app/ap.js`);
    expect(shim.headers.get('content-type')).toContain('javascript');
    expect(await shim.text()).toContain('tradePay');
  });
});

describe('in-app mapper', () => {
  const raw = (resultCode?: string) => ({ api: 'x', requestId: 'r', latencyMs: 1, ...(resultCode ? { resultCode } : {}) });
  it.each([
    [{ user_id: '2088000000000001' }, 'user'],
    [{ code: '40002', sub_code: 'isv.code-invalid' }, 'refused'],
    [{ code: '20001', sub_code: 'aop.invalid-auth-token' }, 'refused'],
    [{ code: '20000', sub_code: 'isp.unknow-error' }, 'unknown'],
    [{ code: '10000' }, 'unknown'],
  ])('oauth.token %j is %s', (node, kind) => {
    expect(mapOauthToken(node, raw).kind).toBe(kind);
  });
  it.each([
    [{ code: '10000', trade_no: '2024T1' }, 'created'],
    [{ code: '10000' }, 'unknown'],
    [{ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR' }, 'unknown'],
    [{ code: '40004', sub_code: 'ACQ.BUYER_ENABLE_STATUS_FORBID' }, 'failure'],
    [{ code: '40002', sub_code: 'isv.invalid-signature' }, 'failure'],
    [{ code: '20000' }, 'unknown'],
  ])('trade.create %j is %s', (node, kind) => {
    expect(mapCreateOrder(node, raw).kind).toBe(kind);
  });
});
