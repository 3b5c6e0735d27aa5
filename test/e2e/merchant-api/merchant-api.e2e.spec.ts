/**
 * The merchant REST payment API over real HTTP, MariaDB and the Alipay sandbox over HTTP: signed and
 * idempotent payments in each outcome of the sandbox table, cancels and refunds through the engine, signed
 * webhooks retried until acknowledged and kept across a restart, and the admin routes behind them.
 */
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { startSwitch, type RunningSwitch } from '../../../src/bootstrap';
import { createLogger } from '../../../src/logging/logger';
import { PayApiServer } from '../../../src/merchant-api/http/pay-api-server';
import { verifyWebhook } from '../../../src/merchant-api/signing/webhook-signature';
import { localTimeIn } from '../../../src/payments/domain/receipt';
import { AdminClient } from '../admin/admin-client';
import { eventually, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { signedCurl } from '../../../tools/pay-sign';
import { createApiClient, PayClient, startWebhookReceiver, type Credentials } from './pay-client';

const KEY = 'merchant-api-e2e-bootstrap-key-0123456789abcdef';
const MERCHANT = 'MERCHANT0000001'; // AMS
const OTHER_MERCHANT = 'MERCHANT0000003';
/** What a receipt may say (src/payments/domain/receipt.ts): nothing of the issuer or the customer's currency. */
const RECEIPT_FIELDS = ['mark', 'kind', 'reference', 'merchantOrderId', 'alipayTransactionId', 'localTime', 'amount', 'currency', 'merchantName', 'terminalId', 'rrn', 'approvalCode'];

describe('merchant REST payment API (/pay/v1)', () => {
  let sut: SwitchUnderTest;
  let admin: AdminClient;
  let pay: PayClient;
  let credentials: Credentials;
  let seq = 0;
  const key = () => `idem-${Date.now()}-${++seq}`;
  const orderId = () => `ORDER-${Date.now()}-${++seq}`;

  const createClient = (merchantId: string, name: string): Promise<Credentials> => createApiClient(admin, KEY, merchantId, name);

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', {
      ADMIN_BOOTSTRAP_KEY: KEY,
      PAY_API_PORT: '0',
      // The gateway answers within 1 s; the merchant's own timeout is 10 s, the gateway timeout 14 s.
      PAY_API_REPLY_TIMEOUT_MS: '1000',
      MERCHANT_TIMEOUT_MS: '10000',
      GATEWAY_TIMEOUT_MS: '14000',
      // 001 succeeds on the third inquiry, about 6 s after the pay call: 5 s after the 1 s answer and 4 s
      // before the merchant's deadline. 004's first inquiry (which would find it paid) comes 2.5 s in.
      AMS_INQUIRY_INTERVAL_MS: '2000',
      PAY_API_WEBHOOK_POLL_MS: '200',
      PAY_API_WEBHOOK_BACKOFF_MS: '1000,1000,1000,1000',
    });
    admin = new AdminClient(sut.running.httpUrl);
    credentials = await createClient(MERCHANT, 'pos-app');
    pay = new PayClient(sut.running.app.get(PayApiServer).url(), credentials);
  });

  afterAll(async () => {
    await sut?.stop();
  });

  const newPayment = (ending: string, extra: object = {}) => ({
    paymentCode: paymentCode(ending),
    amountMinor: 1250,
    currency: 'USD',
    merchantOrderId: orderId(),
    storeRef: 'STORE-1/LANE-2',
    ...extra,
  });

  it('serves its OpenAPI document unsigned, one example per operation', async () => {
    const doc = await pay.call('GET', '/pay/v1/openapi.json', { unsigned: true });
    expect(doc.status).toBe(200);
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, { description: string }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, description: op.description })),
    );
    const payments = operations.filter((o) => o.route.includes('/pay/v1/payments'));
    expect(payments.map((o) => o.route).sort()).toEqual([
      'GET /pay/v1/payments/{id}',
      'POST /pay/v1/payments',
      'POST /pay/v1/payments/{id}/cancel',
      'POST /pay/v1/payments/{id}/refunds',
    ]);
    for (const op of payments) expect(op.description).toContain('npm run -s pay-sign -- ');
    // The H5 routes are an extension of this server (src/merchant-apps/h5/h5-pay-routes.module.ts).
    expect(operations.map((o) => o.route)).toEqual(expect.arrayContaining(['POST /pay/v1/oauth/alipay', 'POST /pay/v1/orders']));
  });

  it('answers 401 and nothing else to unsigned, wrongly signed, stale, unknown-client and revoked-client requests', async () => {
    const body = newPayment('000');
    const revoked = await createClient(MERCHANT, 'old-app');
    const revoke = await admin.call('DELETE', `/admin/v1/merchants/${MERCHANT}/api-clients/${revoked.clientId}?reason=lost+device`, { key: KEY });
    expect(revoke.status).toBe(200);
    expect(revoke.body.revokedAt).not.toBeNull();

    const answers = [
      await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: key(), unsigned: true }),
      await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: key(), signWith: `${credentials.secret}x` }),
      await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: key(), requestTime: new Date(Date.now() - 10 * 60_000) }),
      await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: key(), clientId: 'mc_000000000000000000000000' }),
      await new PayClient(sut.running.app.get(PayApiServer).url(), revoked).call('POST', '/pay/v1/payments', { body, idempotencyKey: key() }),
      await pay.call('GET', '/pay/v1/no-such-route', { unsigned: true }),
      await pay.call('POST', '/pay/v1/payments', { unsigned: true, body: 'not json at all' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.detail).toBe('the request is not signed by a known API client');
    }
    const audit = await admin.call('GET', '/admin/v1/audit?action=merchant-api-client.revoke', { key: KEY });
    expect(audit.body.items.map((e: { targetId: string }) => e.targetId)).toContain(revoked.clientId);
    const list = await admin.call('GET', `/admin/v1/merchants/${MERCHANT}/api-clients`, { key: KEY });
    expect(list.body.items.map((c: { clientId: string }) => c.clientId)).toEqual(expect.arrayContaining([credentials.clientId, revoked.clientId]));
    expect(list.text).not.toContain(credentials.secret);
  });

  it('000: approves at once, answers a repeat with the first result, refuses a reused key with another body and a POST without a key', async () => {
    const body = newPayment('000');
    const idempotencyKey = key();
    const first = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'APPROVED', amountMinor: 1250, currency: 'USD', merchantOrderId: body.merchantOrderId, storeRef: 'STORE-1/LANE-2' });
    expect(first.body.receipt.alipayTransactionId).toEqual(expect.any(String));
    expect(first.text).not.toContain(body.paymentCode);

    const repeat = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey });
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(first.body);

    const conflict = await pay.call('POST', '/pay/v1/payments', { body: { ...body, amountMinor: 1251 }, idempotencyKey });
    expect(conflict.status).toBe(422);
    expect(conflict.contentType).toContain('application/problem+json');

    const noKey = await pay.call('POST', '/pay/v1/payments', { body: newPayment('000') });
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors).toEqual(['Idempotency-Key']);

    const sameOrder = await pay.call('POST', '/pay/v1/payments', { body: { ...newPayment('000'), merchantOrderId: body.merchantOrderId }, idempotencyKey: key() });
    expect(sameOrder.status).toBe(409);

    const read = await pay.call('GET', `/pay/v1/payments/${first.body.paymentId as string}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('APPROVED');

    // A terminal may not take the form of an API client's virtual terminal: the engine tells them apart by it.
    const lookalike = await admin.call('POST', '/admin/v1/terminals', { key: KEY, body: { terminalId: 'APIZZZ99', merchantId: MERCHANT, dialect: 'ascii', reason: 'e2e' } });
    expect(lookalike.status).toBe(422);
    expect(lookalike.body.detail).toContain('API clients');

    const stranger = new PayClient(sut.running.app.get(PayApiServer).url(), await createClient(OTHER_MERCHANT, 'other-app'));
    expect((await stranger.call('GET', `/pay/v1/payments/${first.body.paymentId as string}`)).status).toBe(404);
  });

  it('takes a payment from the curl command `npm run pay-sign` prints (the README example)', async () => {
    const env = { PAY_CLIENT_ID: credentials.clientId, PAY_CLIENT_SECRET: credentials.secret, PAY_API_URL: sut.running.app.get(PayApiServer).url() };
    const body = JSON.stringify(newPayment('000'));
    const { stdout } = await promisify(execFile)('sh', ['-c', signedCurl(['POST', '/pay/v1/payments', body], env)]);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'APPROVED', amountMinor: 1250 });
    const { stdout: read } = await promisify(execFile)('sh', ['-c', signedCurl(['GET', `/pay/v1/payments/${(JSON.parse(stdout) as { paymentId: string }).paymentId}`], env)]);
    expect(JSON.parse(read)).toMatchObject({ status: 'APPROVED' });
  });

  it('takes one payment when two requests race with the same merchantOrderId under different keys', async () => {
    const body = newPayment('000');
    const answers = await Promise.all([1, 2, 3].map(() => pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: key() })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('mounts the H5 routes behind the same front door: the signed client’s merchant orders, unsigned is 401', async () => {
    const h5 = new PayClient(sut.running.app.get(PayApiServer).url(), await createClient('MERCHANT0000002', 'h5-app'));
    const issued = (await (await fetch(`${sut.sandboxUrl}/sandbox/app/auth-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { authCode: string; userId: string };
    expect((await h5.call('POST', '/pay/v1/oauth/alipay', { body: { authCode: issued.authCode }, unsigned: true })).status).toBe(401);
    expect((await h5.call('POST', '/pay/v1/oauth/alipay', { body: { authCode: issued.authCode } })).status).toBe(400); // no Idempotency-Key
    const signedIn = await h5.call('POST', '/pay/v1/oauth/alipay', { body: { authCode: issued.authCode }, idempotencyKey: key() });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ buyerId: issued.userId });
    const order = await h5.call('POST', '/pay/v1/orders', { body: { tableRef: 'T7', buyerId: issued.userId, currency: 'CNY', amountMinor: 4550 }, idempotencyKey: key() });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'PROCESSING', amountMinor: 4550 });
    const read = await h5.call('GET', `/pay/v1/orders/${order.body.orderId as string}`);
    expect(read.body).toMatchObject({ orderId: order.body.orderId });
  });

  it('002: declines with the reason', async () => {
    const answer = await pay.call('POST', '/pay/v1/payments', { body: newPayment('002'), idempotencyKey: key() });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe('DECLINED');
    expect(answer.body.declineReason).toEqual(expect.any(String));
    const cancel = await pay.call('POST', `/pay/v1/payments/${answer.body.paymentId as string}/cancel`, { body: {}, idempotencyKey: key() });
    expect(cancel.status).toBe(409);
  });

  it('001: answers PROCESSING within the gateway timeout, then APPROVED by GET and by a signed webhook retried until acknowledged; the admin API lists and re-sends it', async () => {
    const receiver = await startWebhookReceiver(2);
    try {
      const started = Date.now();
      const answer = await pay.call('POST', '/pay/v1/payments', { body: newPayment('001', { webhookUrl: receiver.url }), idempotencyKey: key() });
      expect(Date.now() - started).toBeLessThan(3_500);
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('PROCESSING');
      const paymentId = answer.body.paymentId as string;

      const approved = await eventually(async () => {
        const read = await pay.call('GET', `/pay/v1/payments/${paymentId}`);
        return read.body.status === 'APPROVED' ? read : undefined;
      }, 20_000);
      expect(approved.body.receipt.alipayTransactionId).toEqual(expect.any(String));

      await eventually(async () => (receiver.received.length >= 3 ? true : undefined), 20_000);
      expect(receiver.received.map((r) => r.answered)).toEqual([500, 500, 204]);
      for (const post of receiver.received) {
        expect(verifyWebhook(post.body, post.signature, credentials.secret, new Date())).toBe(true);
        expect(verifyWebhook(post.body, post.signature, 'another-secret', new Date())).toBe(false);
        expect(JSON.parse(post.body)).toMatchObject({ type: 'payment.approved', data: { paymentId, status: 'APPROVED' } });
      }
      // Backoff of 1 s between attempts (PAY_API_WEBHOOK_BACKOFF_MS).
      expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(900);

      const listed = await eventually(async () => {
        const page = await admin.call('GET', `/admin/v1/webhook-deliveries?targetId=${paymentId}`, { key: KEY });
        return page.body.items?.[0]?.status === 'delivered' ? page : undefined;
      });
      const delivery = listed.body.items[0];
      expect(delivery).toMatchObject({ eventType: 'payment.approved', attempts: 3, lastHttpStatus: 204 });
      expect(delivery.attemptLog.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([500, 500, 204]);

      const refused = await admin.call('POST', `/admin/v1/webhook-deliveries/${delivery.id as string}/resend`, { key: KEY, body: {} });
      expect(refused.status).toBe(400);
      const resent = await admin.call('POST', `/admin/v1/webhook-deliveries/${delivery.id as string}/resend`, { key: KEY, body: { reason: 'merchant lost it' } });
      expect(resent.status).toBe(202);
      await eventually(async () => (receiver.received.length >= 4 ? true : undefined));
      expect(receiver.received[3].body).toBe(receiver.received[0].body);
      const after = await eventually(async () => {
        const page = await admin.call('GET', `/admin/v1/webhook-deliveries?targetId=${paymentId}`, { key: KEY });
        const item = page.body.items[0] as { attempts: number; attemptLog: unknown[] };
        return item.attempts === 4 ? item : undefined;
      });
      expect(after.attemptLog[3]).toMatchObject({ trigger: 'resend', httpStatus: 204 });
      const audit = await admin.call('GET', '/admin/v1/audit?action=webhook-delivery.resend', { key: KEY });
      expect(audit.body.items[0]).toMatchObject({ targetId: delivery.id, reason: 'merchant lost it' });

      const paged = await admin.call('GET', '/admin/v1/webhook-deliveries?limit=1', { key: KEY });
      expect(paged.body.items).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    ['003', 'never completes'],
    ['004', 'pay gets no answer in time'],
  ])('%s (%s): PROCESSING, then a cancel through the engine ends CANCELLED and is pushed', async (ending) => {
    const receiver = await startWebhookReceiver(0);
    try {
      const answer = await pay.call('POST', '/pay/v1/payments', { body: newPayment(ending, { webhookUrl: receiver.url }), idempotencyKey: key() });
      expect(answer.body.status).toBe('PROCESSING');
      const paymentId = answer.body.paymentId as string;
      const cancelKey = key();
      const cancel = await pay.call('POST', `/pay/v1/payments/${paymentId}/cancel`, { body: {}, idempotencyKey: cancelKey });
      expect(cancel.status).toBe(200);
      expect(['CANCELLING', 'CANCELLED']).toContain(cancel.body.status);
      const again = await pay.call('POST', `/pay/v1/payments/${paymentId}/cancel`, { body: {}, idempotencyKey: cancelKey });
      expect(again.body).toEqual(cancel.body);

      await eventually(async () => ((await pay.call('GET', `/pay/v1/payments/${paymentId}`)).body.status === 'CANCELLED' ? true : undefined), 30_000);
      const pushed = await eventually(async () => receiver.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'payment.cancelled'), 20_000);
      expect(JSON.parse(pushed.body).data).toMatchObject({ paymentId, status: 'CANCELLED' });
    } finally {
      await receiver.close();
    }
  });

  it('refunds part of an approval, repeats a refund by its refundRequestId, refuses more than is left, and pushes the refund', async () => {
    const receiver = await startWebhookReceiver(0);
    try {
      const payment = await pay.call('POST', '/pay/v1/payments', { body: newPayment('000'), idempotencyKey: key() });
      expect(payment.body.status).toBe('APPROVED');
      const paymentId = payment.body.paymentId as string;
      const refundPath = `/pay/v1/payments/${paymentId}/refunds`;

      const partial = await pay.call('POST', refundPath, { body: { amountMinor: 500, refundRequestId: 'R-1', webhookUrl: receiver.url }, idempotencyKey: key() });
      expect(partial.status).toBe(201);
      expect(partial.body).toMatchObject({ status: 'SUCCEEDED', amountMinor: 500, refundRequestId: 'R-1', paymentId });

      // Another key, same refundRequestId: the same refund, never a second one.
      const same = await pay.call('POST', refundPath, { body: { amountMinor: 500, refundRequestId: 'R-1', webhookUrl: receiver.url }, idempotencyKey: key() });
      expect(same.body.refundId).toBe(partial.body.refundId);
      const otherAmount = await pay.call('POST', refundPath, { body: { amountMinor: 600, refundRequestId: 'R-1' }, idempotencyKey: key() });
      expect(otherAmount.status).toBe(422);

      const over = await pay.call('POST', refundPath, { body: { amountMinor: 751, refundRequestId: 'R-2' }, idempotencyKey: key() });
      expect(over.status).toBe(422);
      expect(over.contentType).toContain('application/problem+json');

      const rest = await pay.call('POST', refundPath, { body: { amountMinor: 750, refundRequestId: 'R-3' }, idempotencyKey: key() });
      expect(rest.body.status).toBe('SUCCEEDED');
      expect((await pay.call('GET', `/pay/v1/payments/${paymentId}`)).body.refundedMinor).toBe(1250);

      const pushed = await eventually(async () => receiver.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'refund.succeeded'));
      expect(JSON.parse(pushed.body).data).toMatchObject({ refundId: partial.body.refundId, status: 'SUCCEEDED' });
    } finally {
      await receiver.close();
    }
  });

  it('returns the POS receipt (seed 004) with an approval and a refund: Alipay mark, reference, local time on the merchant’s clock, amount; none while not approved', async () => {
    const body = newPayment('000');
    const approved = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: key() });
    expect(approved.body.status).toBe('APPROVED');
    const payment = approved.body as { paymentId: string; paymentRequestId: string; createdAt: string; receipt: Record<string, unknown> };
    // The demo merchants' stores are in Shanghai (UTC+8): the receipt prints their clock, not UTC.
    const localTime = localTimeIn(new Date(payment.createdAt), 'Asia/Shanghai');
    expect(localTime).not.toBe(localTimeIn(new Date(payment.createdAt), 'UTC'));
    const tradeNo = payment.receipt.alipayTransactionId as string;
    expect(tradeNo).toEqual(expect.any(String));
    // Exactly these fields: no issuer, no amount in the customer's currency.
    expect(payment.receipt).toEqual({
      mark: 'Alipay',
      kind: 'sale',
      reference: tradeNo,
      merchantOrderId: payment.paymentRequestId,
      alipayTransactionId: tradeNo,
      localTime,
      amount: '12.50',
      currency: 'USD',
      merchantName: expect.any(String),
      terminalId: expect.stringMatching(/^API[0-9A-Z]{5}$/),
      rrn: expect.stringMatching(/^[0-9A-Z]{12}$/),
      approvalCode: expect.any(String),
    });
    expect((await pay.call('GET', `/pay/v1/payments/${payment.paymentId}`)).body.receipt).toEqual(payment.receipt);

    const refund = await pay.call('POST', `/pay/v1/payments/${payment.paymentId}/refunds`, { body: { amountMinor: 500, refundRequestId: 'RCPT-1' }, idempotencyKey: key() });
    expect(refund.body.status).toBe('SUCCEEDED');
    expect(refund.body.receipt).toMatchObject({
      mark: 'Alipay',
      kind: 'refund',
      reference: expect.any(String),
      localTime: localTimeIn(new Date(refund.body.createdAt as string), 'Asia/Shanghai'),
      amount: '5.00',
      currency: 'USD',
    });
    expect(Object.keys(refund.body.receipt as object).sort()).toEqual(
      expect.arrayContaining(['amount', 'currency', 'kind', 'localTime', 'mark', 'reference']),
    );
    expect(Object.keys(refund.body.receipt as object).every((k) => RECEIPT_FIELDS.includes(k))).toBe(true);

    const declined = await pay.call('POST', '/pay/v1/payments', { body: newPayment('002'), idempotencyKey: key() });
    expect(declined.body.status).toBe('DECLINED');
    expect(declined.body.receipt).toBeUndefined();

    const doc = await pay.call('GET', '/pay/v1/openapi.json', { unsigned: true });
    expect(Object.keys(doc.body.components.schemas.ReceiptDto.properties as object).sort()).toEqual([...RECEIPT_FIELDS].sort());
    expect(doc.body.components.schemas.PaymentDto.properties.receipt).toBeDefined();
  });

  describe('H5 orders placed by a signed API client with a webhookUrl', () => {
    let h5: PayClient;
    let h5Credentials: Credentials;
    const placeOrder = async (webhookUrl: string) => {
      const issued = (await (await fetch(`${sut.sandboxUrl}/sandbox/app/auth-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { userId: string };
      const order = await h5.call('POST', '/pay/v1/orders', { body: { tableRef: 'T9', buyerId: issued.userId, currency: 'CNY', amountMinor: 3800, webhookUrl }, idempotencyKey: key() });
      expect(order.status).toBe(201);
      expect(order.body.status).toBe('PROCESSING');
      return order.body as { orderId: string; tradeNo: string; merchantOrderId: string };
    };
    const tradePay = async (tradeNo: string, action: 'confirm' | 'decline') => {
      const answer = await fetch(`${sut.sandboxUrl}/sandbox/app/trade-pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tradeNo, action }) });
      expect(answer.status).toBe(200);
    };

    beforeAll(async () => {
      h5Credentials = await createClient('MERCHANT0000002', 'h5-webhook-app');
      h5 = new PayClient(sut.running.app.get(PayApiServer).url(), h5Credentials);
    });

    it('refuses a webhookUrl that is not an absolute http(s) URL', async () => {
      const order = await h5.call('POST', '/pay/v1/orders', { body: { tableRef: 'T9', buyerId: '2088000000000001', currency: 'CNY', amountMinor: 100, webhookUrl: 'ftp://merchant/hook' }, idempotencyKey: key() });
      expect(order.status).toBe(400);
      expect(order.body.error).toBe('INVALID_ORDER');
      expect(order.body.message).toContain('webhookUrl');
      const doc = await h5.call('GET', '/pay/v1/openapi.json', { unsigned: true });
      expect(doc.body.paths['/pay/v1/orders'].post.requestBody.content['application/json'].schema.properties.webhookUrl).toBeDefined();
    });

    it('confirmed in the app: the signed payment.approved event reaches the webhook, with the receipt', async () => {
      const receiver = await startWebhookReceiver(0);
      try {
        const order = await placeOrder(receiver.url);
        await tradePay(order.tradeNo, 'confirm');
        const pushed = await eventually(async () => receiver.received.find((r) => (JSON.parse(r.body) as { data: { paymentId: string } }).data.paymentId === order.orderId), 20_000);
        expect(verifyWebhook(pushed.body, pushed.signature, h5Credentials.secret, new Date())).toBe(true);
        expect(verifyWebhook(pushed.body, pushed.signature, credentials.secret, new Date())).toBe(false);
        const event = JSON.parse(pushed.body) as { type: string; data: Record<string, unknown> };
        expect(event.type).toBe('payment.approved');
        expect(event.data).toMatchObject({ paymentId: order.orderId, status: 'APPROVED', amountMinor: 3800, currency: 'CNY', merchantOrderId: order.merchantOrderId, storeRef: 'T9' });
        expect(event.data.receipt).toMatchObject({ mark: 'Alipay', kind: 'sale', amount: '38.00', reference: order.tradeNo });
        expect((await h5.call('GET', `/pay/v1/orders/${order.orderId}`)).body.status).toBe('PAID');
      } finally {
        await receiver.close();
      }
    });

    it('left unpaid: cancelled at the gateway timeout, the signed payment.cancelled event reaches the webhook', async () => {
      const receiver = await startWebhookReceiver(0);
      try {
        const order = await placeOrder(receiver.url);
        // GATEWAY_TIMEOUT_MS is 14 s in this suite; the cancel worker then confirms at the sandbox.
        const pushed = await eventually(async () => receiver.received.find((r) => (JSON.parse(r.body) as { data: { paymentId: string } }).data.paymentId === order.orderId), 40_000, 250);
        expect(verifyWebhook(pushed.body, pushed.signature, h5Credentials.secret, new Date())).toBe(true);
        expect(JSON.parse(pushed.body)).toMatchObject({ type: 'payment.cancelled', data: { paymentId: order.orderId, status: 'CANCELLED' } });
        expect((await h5.call('GET', `/pay/v1/orders/${order.orderId}`)).body.status).toBe('CANCELLED');
      } finally {
        await receiver.close();
      }
    }, 60_000);

    it('declined in the app: the signed payment.declined event reaches the webhook', async () => {
      const receiver = await startWebhookReceiver(0);
      try {
        const order = await placeOrder(receiver.url);
        await tradePay(order.tradeNo, 'decline');
        const pushed = await eventually(async () => receiver.received.find((r) => (JSON.parse(r.body) as { data: { paymentId: string } }).data.paymentId === order.orderId), 20_000);
        expect(verifyWebhook(pushed.body, pushed.signature, h5Credentials.secret, new Date())).toBe(true);
        const event = JSON.parse(pushed.body) as { type: string; data: Record<string, unknown> };
        expect(event.type).toBe('payment.declined');
        expect(event.data).toMatchObject({ paymentId: order.orderId, status: 'DECLINED' });
        expect(event.data.receipt).toBeUndefined();
        expect((await h5.call('GET', `/pay/v1/orders/${order.orderId}`)).body.status).toBe('DECLINED');
      } finally {
        await receiver.close();
      }
    });
  });

  it('keeps a delivery across a restart and delivers it once the merchant answers', async () => {
    const receiver = await startWebhookReceiver(1_000_000); // down for now: every post refused
    let restarted: RunningSwitch | undefined;
    try {
      const answer = await pay.call('POST', '/pay/v1/payments', { body: newPayment('000', { webhookUrl: receiver.url }), idempotencyKey: key() });
      const paymentId = answer.body.paymentId as string;
      await eventually(async () => (receiver.received.length >= 1 ? true : undefined));
      await sut.running.close();
      await receiver.close();

      const back = await startWebhookReceiver(0, receiver.port);
      try {
        const logs = new Writable({ write: (_c, _e, done) => done() });
        restarted = await startSwitch(sut.config, createLogger('info', logs));
        const page = await eventually(async () => {
          const list = await new AdminClient(restarted!.httpUrl).call('GET', `/admin/v1/webhook-deliveries?targetId=${paymentId}`, { key: KEY });
          return list.body.items?.[0]?.status === 'delivered' ? list : undefined;
        }, 20_000);
        expect(page.body.items[0].attempts).toBeGreaterThanOrEqual(2);
        expect(back.received.map((r) => (JSON.parse(r.body) as { data: { paymentId: string } }).data.paymentId)).toContain(paymentId);
      } finally {
        await back.close();
      }
    } finally {
      await restarted?.close();
    }
  });
});
