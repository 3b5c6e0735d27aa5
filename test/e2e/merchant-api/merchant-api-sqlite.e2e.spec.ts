/**
 * The merchant payment API on the embedded database (sql.js), as `npm start` runs it: the API's own tables
 * and queries are portable SQL, so a signed payment, its idempotent repeat, a refund and the webhooks work
 * there too.
 */
import { PayApiServer } from '../../../src/merchant-api/http/pay-api-server';
import { verifyWebhook } from '../../../src/merchant-api/signing/webhook-signature';
import { eventually, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { AdminClient } from '../admin/admin-client';
import { PayClient, startWebhookReceiver } from './pay-client';

const KEY = 'merchant-api-sqlite-bootstrap-key-0123456789';

describe('merchant REST payment API on the embedded SQLite database', () => {
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite', { ADMIN_BOOTSTRAP_KEY: KEY, PAY_API_WEBHOOK_POLL_MS: '200', PAY_API_WEBHOOK_BACKOFF_MS: '1000' });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('takes a payment, answers its repeat, refunds part of it and pushes both results, signed', async () => {
    const receiver = await startWebhookReceiver(1);
    try {
      const admin = new AdminClient(sut.running.httpUrl);
      const created = await admin.call('POST', '/admin/v1/merchants/MERCHANT0000003/api-clients', { key: KEY, body: { name: 'sqlite-app', reason: 'e2e' } });
      expect(created.status).toBe(201);
      const secret = created.body.clientSecret as string;
      const pay = new PayClient(sut.running.app.get(PayApiServer).url(), { clientId: created.body.clientId as string, secret });

      const body = { paymentCode: paymentCode('000'), amountMinor: 2000, currency: 'USD', merchantOrderId: 'SQLITE-1', webhookUrl: receiver.url };
      const first = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: 'sqlite-key-1' });
      expect(first.body.status).toBe('APPROVED');
      const repeat = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: 'sqlite-key-1' });
      expect(repeat.body).toEqual(first.body);
      expect((await pay.call('POST', '/pay/v1/payments', { body: { ...body, amountMinor: 1 }, idempotencyKey: 'sqlite-key-1' })).status).toBe(422);

      const paymentId = first.body.paymentId as string;
      const refund = await pay.call('POST', `/pay/v1/payments/${paymentId}/refunds`, { body: { amountMinor: 700, refundRequestId: 'SR-1', webhookUrl: receiver.url }, idempotencyKey: 'sqlite-key-2' });
      expect(refund.body.status).toBe('SUCCEEDED');

      const types = await eventually(async () => {
        const acknowledged = receiver.received.filter((r) => r.answered === 204).map((r) => (JSON.parse(r.body) as { type: string }).type);
        return acknowledged.length >= 2 ? acknowledged.sort() : undefined;
      }, 20_000);
      expect(types).toEqual(['payment.approved', 'refund.succeeded']);
      for (const post of receiver.received) expect(verifyWebhook(post.body, post.signature, secret, new Date())).toBe(true);
      const deliveries = await admin.call('GET', '/admin/v1/webhook-deliveries?status=delivered', { key: KEY });
      expect(deliveries.body.items.map((d: { attempts: number }) => d.attempts)).toEqual([2, 2]);
    } finally {
      await receiver.close();
    }
  });
});
