/**
 * A deployed switch (PAY_API_WEBHOOK_ALLOW_PRIVATE off, its default) never POSTs a webhook to a loopback,
 * private or reserved address, whether the merchant's URL names it literally or by a host name that
 * resolves to it: the attempt is refused, recorded with its reason, and the receiver hears nothing.
 */
import { PayApiServer } from '../../../src/merchant-api/http/pay-api-server';
import { eventually, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { AdminClient } from '../admin/admin-client';
import { createApiClient, PayClient, startWebhookReceiver } from './pay-client';

const KEY = 'webhook-targets-bootstrap-key-0123456789';

describe('webhook targets of a deployed switch', () => {
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite', {
      ADMIN_BOOTSTRAP_KEY: KEY,
      PAY_API_WEBHOOK_ALLOW_PRIVATE: 'false',
      PAY_API_WEBHOOK_POLL_MS: '100',
      PAY_API_WEBHOOK_BACKOFF_MS: '100',
    });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('refuses 127.0.0.1 and localhost: both deliveries are given up with the reason, nothing is sent', async () => {
    const receiver = await startWebhookReceiver(0);
    try {
      const admin = new AdminClient(sut.running.httpUrl);
      const pay = new PayClient(sut.running.app.get(PayApiServer).url(), await createApiClient(admin, KEY, 'MERCHANT0000003', 'targets-app'));
      const urls = [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')];
      for (const [i, webhookUrl] of urls.entries()) {
        const body = { paymentCode: paymentCode('000'), amountMinor: 3000 + i, currency: 'USD', merchantOrderId: `TARGETS-${i}`, webhookUrl };
        const answer = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: `targets-${i}` });
        expect(answer.body.status).toBe('APPROVED');
      }

      type Delivery = { url: string; status: string; lastError: string | null; attemptLog: unknown[] };
      const givenUp = await eventually(async () => {
        const items = (await admin.call('GET', '/admin/v1/webhook-deliveries?status=gave-up', { key: KEY })).body.items as Delivery[];
        return items.length === 2 ? items : undefined;
      }, 20_000, 200);
      expect(givenUp.map((d) => d.url).sort()).toEqual([...urls].sort());
      for (const d of givenUp) {
        expect(d.lastError).toMatch(/^webhook address (127\.0\.0\.1|::1) is loopback, private or reserved \(PAY_API_WEBHOOK_ALLOW_PRIVATE is off\)$/);
        expect(d.attemptLog).toHaveLength(2);
      }
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
