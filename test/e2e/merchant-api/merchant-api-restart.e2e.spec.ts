/**
 * A REST payment open when the switch stops is not a terminal's: nobody lost a reply, the merchant learns
 * the result by GET or webhook. The switch restarted on the same database (the sandbox its own server, so
 * Alipay remembers the trade) resumes it, learns the approval and keeps it: APPROVED, pushed, never
 * cancelled at the gateway timeout (src/payments/domain/result-channel.ts).
 */
import { Writable } from 'node:stream';
import { startSandbox, type RunningSandbox } from '@switch/alipay';
import { startSwitch, type RunningSwitch } from '../../../src/bootstrap';
import { createLogger } from '../../../src/logging/logger';
import { PayApiServer } from '../../../src/merchant-api/http/pay-api-server';
import { verifyWebhook } from '../../../src/merchant-api/signing/webhook-signature';
import { eventually, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { AdminClient } from '../admin/admin-client';
import { PayClient, startWebhookReceiver } from './pay-client';

jest.setTimeout(120_000);

const KEY = 'merchant-api-restart-bootstrap-key-0123456789';
const GATEWAY_TIMEOUT_MS = 30_000;

describe('merchant REST payment API: a PROCESSING payment across a restart (MariaDB, sandbox as its own server)', () => {
  let sandbox: RunningSandbox;
  let sut: SwitchUnderTest;
  let restarted: RunningSwitch | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, noAnswerHoldMs: 1_500 });
    sut = await startTestSwitch('mysql', {
      ALIPAY_SANDBOX: 'external',
      ALIPAY_SANDBOX_URL: sandbox.url,
      ADMIN_BOOTSTRAP_KEY: KEY,
      PAY_API_REPLY_TIMEOUT_MS: '1000',
      // 001 succeeds on the third inquiry: with 3 s between inquiries that is well after the stop and
      // start, and well before the gateway timeout (30 s), which would cancel a payment still open.
      AMS_INQUIRY_INTERVAL_MS: '3000',
      MERCHANT_TIMEOUT_MS: '20000',
      GATEWAY_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
      PAY_API_WEBHOOK_POLL_MS: '200',
    });
  });

  afterAll(async () => {
    await restarted?.close();
    await sut?.stop();
    await sandbox?.close();
  });

  it('001 PROCESSING, switch stopped and started: the approval is learned, kept, read by GET and pushed; never cancelled at Alipay', async () => {
    const admin = new AdminClient(sut.running.httpUrl);
    const created = await admin.call('POST', '/admin/v1/merchants/MERCHANT0000001/api-clients', { key: KEY, body: { name: 'restart-app', reason: 'e2e' } });
    expect(created.status).toBe(201);
    const credentials = { clientId: created.body.clientId as string, secret: created.body.clientSecret as string };
    const receiver = await startWebhookReceiver(0);
    try {
      const body = { paymentCode: paymentCode('001'), amountMinor: 2200, currency: 'USD', merchantOrderId: `RS-${Date.now()}`, webhookUrl: receiver.url };
      const answer = await new PayClient(sut.running.app.get(PayApiServer).url(), credentials).call('POST', '/pay/v1/payments', { body, idempotencyKey: `restart-${Date.now()}` });
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('PROCESSING');
      const paymentId = answer.body.paymentId as string;
      const paymentRequestId = answer.body.paymentRequestId as string;
      const createdAt = new Date(answer.body.createdAt as string).getTime();

      await sut.running.close();
      expect((await sandboxPayment(sandbox.url, paymentRequestId))?.status).toBe('PROCESSING');
      restarted = await startSwitch(sut.config, createLogger('info', new Writable({ write: (_c, _e, done) => done() })));
      const pay = new PayClient(restarted.app.get(PayApiServer).url(), credentials);

      const approved = await eventually(async () => {
        const read = await pay.call('GET', `/pay/v1/payments/${paymentId}`);
        return read.body.status === 'APPROVED' ? read : undefined;
      }, 25_000, 250);
      expect(approved.body.receipt).toMatchObject({ mark: 'Alipay', kind: 'sale', amount: '22.00' });
      expect(Date.now()).toBeLessThan(createdAt + GATEWAY_TIMEOUT_MS); // learned before the gateway timeout

      const pushed = await eventually(async () => receiver.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'payment.approved'), 15_000);
      expect(verifyWebhook(pushed.body, pushed.signature, credentials.secret, new Date())).toBe(true);
      expect(JSON.parse(pushed.body).data).toMatchObject({ paymentId, status: 'APPROVED' });

      // Past the gateway timeout (and some): still approved here and at Alipay, no cancel sent.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, createdAt + GATEWAY_TIMEOUT_MS + 4_000 - Date.now())));
      expect((await pay.call('GET', `/pay/v1/payments/${paymentId}`)).body.status).toBe('APPROVED');
      const atAlipay = await sandboxPayment(sandbox.url, paymentRequestId);
      expect(atAlipay?.status).toBe('SUCCESS');
      expect(atAlipay?.calls.filter((c) => /cancel|reverse/i.test(c.api))).toEqual([]);
      expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).not.toContain('payment.cancelled');
    } finally {
      await receiver.close();
    }
  });
});
