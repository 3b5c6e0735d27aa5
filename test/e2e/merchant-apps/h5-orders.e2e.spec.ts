import { getPayment } from '../../../libs/alipay/src/sandbox/testing/control-client';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';

// The H5 routes over HTTP without a browser, on the embedded SQLite: an order the customer never pays is
// cancelled by the gateway timeout (the trade closed at Alipay), and another merchant's order is not found.

let sut: SwitchUnderTest;
let base: string;

beforeAll(async () => {
  sut = await startTestSwitch('sqlite', {
    H5_DEMO: 'true',
    H5_DEMO_PORT: '0',
    MERCHANT_TIMEOUT_MS: '2000',
    GATEWAY_TIMEOUT_MS: '4000',
    OPENAPI_INQUIRY_INTERVAL_MS: '500',
  });
  base = sut.running.h5Demo?.url ?? '';
}, 60_000);

afterAll(() => sut?.stop());

async function post(url: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function readOrder(id: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${base}/pay/v1/orders/${id}`)).json()) as Record<string, unknown>;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it('an order nobody pays is cancelled at the gateway timeout and its trade closed at Alipay', async () => {
  const issued = await post(`${sut.sandboxUrl}/sandbox/app/auth-code`, {});
  const signedIn = await post(`${base}/pay/v1/oauth/alipay`, { authCode: issued.json.authCode });
  expect(signedIn).toEqual({ status: 200, json: { buyerId: issued.json.userId } });

  const created = await post(`${base}/pay/v1/orders`, { tableRef: 'T3', buyerId: signedIn.json.buyerId, currency: 'CNY', amountMinor: 4550 });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ status: 'PROCESSING', amountMinor: 4550, currency: 'CNY' });
  expect(created.json.tradeNo).toMatch(/^\d{28}$/);
  const trade = await getPayment(sut.sandboxUrl, String(created.json.merchantOrderId));
  expect(trade).toMatchObject({ status: 'PROCESSING', alipayTransactionId: created.json.tradeNo });
  expect(trade?.calls[0]).toMatchObject({ api: 'alipay.trade.create' });

  const ended = await until(() => readOrder(String(created.json.orderId)), (o) => o.status !== 'PROCESSING', 15_000);
  expect(ended).toMatchObject({ status: 'CANCELLED' });
  expect(String(ended.message)).toContain('cancelled');
  const closed = await until(() => getPayment(sut.sandboxUrl, String(created.json.merchantOrderId)), (p) => p?.status === 'CANCELLED', 15_000);
  expect(closed).toMatchObject({ status: 'CANCELLED', cancelAction: 'close' });
  // The app cannot pay a closed trade any more.
  const late = await post(`${sut.sandboxUrl}/sandbox/app/trade-pay`, { tradeNo: created.json.tradeNo, action: 'confirm' });
  expect(late.status).toBe(409);
});

it('items are priced by the menu, not by the page', async () => {
  const issued = await post(`${sut.sandboxUrl}/sandbox/app/auth-code`, {});
  const buyerId = (await post(`${base}/pay/v1/oauth/alipay`, { authCode: issued.json.authCode })).json.buyerId;
  const forged = await post(`${base}/pay/v1/orders`, { tableRef: 'T3', buyerId, currency: 'CNY', amountMinor: 1, items: [{ dishId: 'noodles', quantity: 2 }] });
  expect(forged.status).toBe(400);
  const priced = await post(`${base}/pay/v1/orders`, { tableRef: 'T3', buyerId, currency: 'CNY', items: [{ dishId: 'noodles', quantity: 2 }] });
  expect(priced.json).toMatchObject({ status: 'PROCESSING', amountMinor: 6400 });
  const unknownDish = await post(`${base}/pay/v1/orders`, { tableRef: 'T3', buyerId, currency: 'CNY', items: [{ dishId: 'lobster', quantity: 1 }] });
  expect(unknownDish.status).toBe(400);
});
