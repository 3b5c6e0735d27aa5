import { chromium, type Browser, type Page } from 'playwright-core';
import { getPayment } from '../../../libs/alipay/src/sandbox/testing/control-client';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { freePort } from '../../support/free-port';

// The smart-restaurant flow (seed 002) end to end: the switch with its H5 demo on, the ordering page in
// headless Chromium, the sandbox playing the Alipay app (auth code, tradePay sheet), MariaDB for the
// switch's record and the sandbox's ledger for Alipay's.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SETTLE_MS = 20_000;
// A browser on a loaded CI machine: each test gets far more than the few seconds it takes.
const TEST_MS = 90_000;

let sut: SwitchUnderTest;
let browser: Browser;
let h5Url: string;

beforeAll(async () => {
  sut = await startTestSwitch('mysql', {
    H5_DEMO: 'true',
    H5_DEMO_PORT: '0',
    NOTIFY_HTTP_PORT: String(await freePort()),
    // A person taps in the app: the order must stay open well beyond a loaded machine's page load.
    MERCHANT_TIMEOUT_MS: '30000',
    GATEWAY_TIMEOUT_MS: '60000',
    // The decline is learned by inquiry (a closed trade is not notified); the success by the notification.
    OPENAPI_INQUIRY_INTERVAL_MS: '1000',
  });
  h5Url = `${sut.running.h5Demo?.url}/h5/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sut?.stop();
});

async function order(page: Page): Promise<void> {
  await page.goto(`${h5Url}?table=T7`);
  await page.click('#add-dumplings');
  await page.click('#add-dumplings');
  await page.click('#add-tea');
  await page.waitForSelector('#amount:has-text("CNY 62.00")');
  // Enabled once the app's auth code has become the buyer id.
  await page.waitForSelector('#pay:not([disabled])');
  await page.click('#pay');
  await page.waitForSelector('#sandbox-alipay-sheet');
}

interface PaymentRow {
  state: string;
  failure_code: string | null;
  payment_request_id: string;
  alipay_transaction_id: string | null;
  amount_minor: string | number;
}

async function paymentRow(id: string): Promise<PaymentRow> {
  const rows = await sut.running.dataSource.query<PaymentRow[]>(
    'SELECT state, failure_code, payment_request_id, alipay_transaction_id, amount_minor FROM payments WHERE id = ?',
    [id],
  );
  return rows[0];
}

const orderIdOf = (page: Page): string => new URL(page.url()).searchParams.get('order') ?? '';

it('the customer orders at the table, confirms in the app, and the page says paid: approved in the switch, SUCCESS at Alipay', async () => {
  const page = await browser.newPage();
  try {
    await order(page);
    await page.click('#sandbox-alipay-confirm');
    await page.waitForURL(/\/h5\/result\.html\?order=/);
    await page.waitForSelector('#status[data-status="PAID"]', { timeout: SETTLE_MS });
    expect(await page.textContent('#status')).toBe('Paid');
    expect(await page.textContent('#result-message')).toContain('Payment received');
    const receipt = (await page.textContent('#receipt')) ?? '';
    expect(receipt).toContain('Alipay');
    expect(receipt).toContain('CNY 62.00');

    const row = await paymentRow(orderIdOf(page));
    expect(row.state).toBe('APPROVED');
    expect(Number(row.amount_minor)).toBe(6200);
    const atAlipay = await getPayment(sut.sandboxUrl, row.payment_request_id);
    expect(atAlipay).toMatchObject({ status: 'SUCCESS', amountMinor: 6200, currency: 'CNY' });
    expect(row.alipay_transaction_id).toBe(atAlipay?.alipayTransactionId);
    expect(receipt).toContain(atAlipay?.alipayTransactionId ?? 'missing');
    // Alipay's notification reached the switch's listener and was acknowledged.
    expect(atAlipay?.notifications[0]).toMatchObject({ outcome: 'acknowledged' });
  } finally {
    await page.close();
  }
}, TEST_MS);

it('the customer cancels in the app: the page says so in plain words and the payment ends declined, the trade closed', async () => {
  const page = await browser.newPage();
  try {
    await order(page);
    await page.click('#sandbox-alipay-cancel');
    await page.waitForURL(/\/h5\/result\.html\?order=/);
    await page.waitForSelector('#status[data-status="DECLINED"]', { timeout: SETTLE_MS });
    expect(await page.textContent('#result-message')).toContain('nothing was charged');
    expect(await page.isVisible('#again')).toBe(true);

    const row = await paymentRow(orderIdOf(page));
    expect(row).toMatchObject({ state: 'DECLINED', failure_code: 'TRADE_CLOSED' });
    expect(await getPayment(sut.sandboxUrl, row.payment_request_id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'close' });
  } finally {
    await page.close();
  }
}, TEST_MS);

it('business errors reach the page as sentences, not codes', async () => {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${sut.running.h5Demo?.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { error: string; message: string } };
  };
  const used = await post('/pay/v1/oauth/alipay', { authCode: 'not-issued-by-the-app' });
  expect(used).toMatchObject({ status: 401, json: { error: 'AUTH_CODE_REFUSED' } });
  expect(used.json.message).toContain('scan the table code again');
  const empty = await post('/pay/v1/orders', { tableRef: 'T7', buyerId: '2088000000000009', currency: 'CNY', amountMinor: 0 });
  expect(empty.status).toBe(400);
  expect(empty.json.message).toMatch(/Please/);
  const missing = await fetch(`${sut.running.h5Demo?.url}/pay/v1/orders/00000000-0000-0000-0000-000000000000`);
  expect(missing.status).toBe(404);
});
