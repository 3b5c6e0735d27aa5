import { AlipaySdk } from 'alipay-sdk';
import {
  amsSignContent,
  loadPublicKey,
  mapiMd5Verify,
  openapiNotifySignContent,
  parseAmsSignatureHeader,
  rsaVerify,
} from '../src/signing';
import { RunningSandbox, startSandbox } from '../src/sandbox';
import { getPayment } from '../src/sandbox/testing/control-client';
import { amsCall, mapiCall, openapiCall } from '../src/sandbox/testing/raw-clients';
import { NotificationReceiver, ReceivedNotification, startReceiver } from '../src/sandbox/testing/receiver';

// Notifications go to a real local HTTP receiver; the retry schedule is shortened to a few milliseconds.

let sandbox: RunningSandbox;
let receiver: NotificationReceiver;
const events: Record<string, unknown>[] = [];
const waiters: { match: (e: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
// Per notify path: how many attempts to refuse before acknowledging (Infinity = never acknowledge).
const refusals = new Map<string, number>();
let serial = 0;

const code = (suffix: string): string => `28${String(++serial).padStart(13, '0')}${suffix}`;
const newId = (): string => `N${Date.now()}${++serial}`;
const formOf = (n: ReceivedNotification): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(n.body));

function eventSeen(match: (e: Record<string, unknown>) => boolean): Promise<void> {
  if (events.some(match)) return Promise.resolve();
  return new Promise((resolve) => waiters.push({ match, resolve }));
}

async function arrivalsAt(path: string, count: number): Promise<ReceivedNotification[]> {
  for (;;) {
    const at = receiver.received.filter((n) => n.path === path);
    if (at.length >= count) return at;
    await receiver.waitFor(receiver.received.length + 1);
  }
}

beforeAll(async () => {
  receiver = await startReceiver((n) => {
    const seen = receiver.received.filter((r) => r.path === n.path).length;
    const refuse = seen <= (refusals.get(n.path) ?? 0);
    const json = n.headers['content-type']?.startsWith('application/json');
    if (refuse)
      return json
        ? { status: 200, body: '{"result":{"resultStatus":"U","resultCode":"UNKNOWN_EXCEPTION"}}' }
        : { status: 500, body: 'fail' };
    return json
      ? {
          status: 200,
          body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
        }
      : { status: 200, body: 'success' };
  });
  sandbox = await startSandbox({
    port: 0,
    notifyRetryDelaysMs: [0, 5, 5, 5],
    logger: (event) => {
      const e = event as Record<string, unknown>;
      events.push(e);
      for (const w of waiters.filter((w) => w.match(e))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe('AMS notifyPayment', () => {
  it('is signed, retried while refused, and stops once acknowledged', async () => {
    const id = newId();
    const path = `/notify/ams/${id}`;
    refusals.set(path, 2);
    await amsCall(sandbox, 'pay', {
      paymentRequestId: id,
      paymentAmount: { currency: 'USD', value: '2500' },
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: code('000') },
      paymentNotifyUrl: `${receiver.url}${path}`,
    });
    const arrivals = await arrivalsAt(path, 3);
    for (const n of arrivals) {
      const signature = parseAmsSignatureHeader(String(n.headers.signature));
      const content = amsSignContent(
        'POST',
        path,
        String(n.headers['client-id']),
        String(n.headers['request-time']),
        n.body,
      );
      expect(
        signature &&
          rsaVerify(content, signature.signature, loadPublicKey(sandbox.credentials.ams.alipayPublicKey)),
      ).toBe(true);
    }
    expect(JSON.parse(arrivals[2].body)).toMatchObject({
      notifyType: 'PAYMENT_RESULT',
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      paymentRequestId: id,
      paymentAmount: { currency: 'USD', value: '2500' },
    });
    await eventSeen((e) => e.event === 'notification' && e.id === id && e.outcome === 'acknowledged');
    const payment = await getPayment(sandbox.url, id);
    expect(payment?.notifications.map((n) => n.outcome)).toEqual(['rejected', 'rejected', 'acknowledged']);
  });

  it('reports a final decline too (result F with the decline code)', async () => {
    const id = newId();
    const path = `/notify/ams/${id}`;
    await amsCall(sandbox, 'pay', {
      paymentRequestId: id,
      paymentAmount: { currency: 'USD', value: '100' },
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: code('002') },
      paymentNotifyUrl: `${receiver.url}${path}`,
    });
    const [n] = await arrivalsAt(path, 1);
    expect(JSON.parse(n.body)).toMatchObject({
      result: { resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH' },
    });
  });

  it('notifies a 001 payment when the user confirms (at the third inquiry)', async () => {
    const id = newId();
    const path = `/notify/ams/${id}`;
    await amsCall(sandbox, 'pay', {
      paymentRequestId: id,
      paymentAmount: { currency: 'USD', value: '100' },
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: code('001') },
      paymentNotifyUrl: `${receiver.url}${path}`,
    });
    for (let i = 0; i < 3; i++) await amsCall(sandbox, 'inquiryPayment', { paymentRequestId: id });
    const [n] = await arrivalsAt(path, 1);
    expect(JSON.parse(n.body)).toMatchObject({ paymentRequestId: id, result: { resultStatus: 'S' } });
  });

  it('gives up after the last attempt of the schedule', async () => {
    const id = newId();
    const path = `/notify/ams/${id}`;
    refusals.set(path, Infinity);
    await amsCall(sandbox, 'pay', {
      paymentRequestId: id,
      paymentAmount: { currency: 'USD', value: '100' },
      paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: code('000') },
      paymentNotifyUrl: `${receiver.url}${path}`,
    });
    await eventSeen((e) => e.event === 'notification.gave-up' && e.id === id);
    expect((await getPayment(sandbox.url, id))?.notifications).toHaveLength(4);
    expect(receiver.received.filter((n) => n.path === path)).toHaveLength(4);
  });
});

describe('Open Platform trade_status_sync', () => {
  it('is an RSA2 form by the v1 notify rule that alipay-sdk accepts, retried until "success"', async () => {
    const id = newId();
    const path = `/notify/openapi/${id}`;
    refusals.set(path, 1);
    await openapiCall(
      sandbox,
      'alipay.trade.pay',
      { out_trade_no: id, scene: 'bar_code', auth_code: code('000'), subject: 's', total_amount: '8.80' },
      { notifyUrl: `${receiver.url}${path}` },
    );
    const arrivals = await arrivalsAt(path, 2);
    const form = formOf(arrivals[1]);
    expect(form).toMatchObject({
      notify_type: 'trade_status_sync',
      trade_status: 'TRADE_SUCCESS',
      out_trade_no: id,
      total_amount: '8.80',
      app_id: sandbox.credentials.openapi.appId,
      sign_type: 'RSA2',
    });
    expect(form.notify_id).toBe(formOf(arrivals[0]).notify_id);
    const key = loadPublicKey(sandbox.credentials.openapi.alipayPublicKey);
    expect(rsaVerify(openapiNotifySignContent(form), form.sign, key, 'RSA2')).toBe(true);
    const sdk = new AlipaySdk({
      appId: sandbox.credentials.openapi.appId,
      privateKey: sandbox.credentials.openapi.merchantPrivateKey,
      keyType: 'PKCS8',
      alipayPublicKey: sandbox.credentials.openapi.alipayPublicKey,
    });
    expect(sdk.checkNotifySign(form)).toBe(true);
  });
});

describe('MAPI trade_status_sync', () => {
  it('is an MD5-signed form, retried until "success"', async () => {
    const id = newId();
    const path = `/notify/mapi/${id}`;
    refusals.set(path, 1);
    await mapiCall(sandbox, 'alipay.acquire.overseas.spot.pay', {
      partner_trans_id: id,
      currency: 'USD',
      trans_currency: 'USD',
      trans_amount: '3.30',
      buyer_identity_code: code('000'),
      trans_name: 's',
      notify_url: `${receiver.url}${path}`,
    });
    const arrivals = await arrivalsAt(path, 2);
    const form = formOf(arrivals[1]);
    expect(form).toMatchObject({
      notify_type: 'trade_status_sync',
      trade_status: 'TRADE_SUCCESS',
      partner_trans_id: id,
      trans_amount: '3.30',
      currency: 'USD',
      sign_type: 'MD5',
    });
    expect(mapiMd5Verify(form, form.sign, sandbox.credentials.mapi.md5Key)).toBe(true);
  });
});
