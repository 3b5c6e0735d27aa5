/**
 * REST payments' webhooks with two switch instances on one MariaDB database, both looking for results and
 * pushing deliveries every 50 ms: each result becomes one delivery row and reaches the merchant's webhook
 * once, whichever instance took the payment and whichever pushed it (issue 13: no work done twice).
 */
import { startSandbox, type RunningSandbox } from '@switch/alipay';
import { PayApiServer } from '../../../src/merchant-api/http/pay-api-server';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { eventually, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { AdminClient } from '../admin/admin-client';
import { createApiClient, PayClient, startWebhookReceiver } from '../merchant-api/pay-client';
import { kafkaBrokers, uniquePrefix } from '../reversals/kafka-kit';

jest.setTimeout(120_000);

const KEY = 'webhooks-instances-bootstrap-key-0123456789';
const PAYMENTS = 24;

describe('webhooks with two switch instances on one database', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  const switches: SwitchUnderTest[] = [];

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
    const env = {
      LOG_LEVEL: 'warn',
      ALIPAY_SANDBOX: 'external',
      ALIPAY_SANDBOX_URL: sandbox.url,
      KAFKA_BROKERS: kafkaBrokers(),
      KAFKA_TOPIC_PREFIX: uniquePrefix('hooks'),
      ADMIN_BOOTSTRAP_KEY: KEY,
      PAY_API_WEBHOOK_POLL_MS: '50',
    };
    for (const id of ['hooks-a', 'hooks-b']) {
      switches.push(await startTestSwitch('mysql', { ...env, INSTANCE_ID: id }, { sharedDatabase: db }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const sw of switches.reverse()) await sw.stop().catch(() => undefined);
    await sandbox?.close();
    await db?.drop();
  });

  it('pushes each payment result once, from one delivery row', async () => {
    const [a, b] = switches;
    const credentials = await createApiClient(new AdminClient(a.running.httpUrl), KEY, 'MERCHANT0000001', 'two-instances-app');
    const receiver = await startWebhookReceiver(0);
    try {
      const clients = [a, b].map((sw) => new PayClient(sw.running.app.get(PayApiServer).url(), credentials));
      const run = Date.now();
      const paid = await Promise.all(
        Array.from({ length: PAYMENTS }, async (_, i) => {
          const body = { paymentCode: paymentCode('000'), amountMinor: 1_000 + i, currency: 'USD', merchantOrderId: `HOOKS-${run}-${i}`, webhookUrl: receiver.url };
          const answer = await clients[i % 2].call('POST', '/pay/v1/payments', { body, idempotencyKey: `hooks-${run}-${i}` });
          expect(answer.status).toBe(201);
          expect(answer.body.status).toBe('APPROVED');
          return answer.body.paymentId as string;
        }),
      );

      const pushedIds = () => receiver.received.map((r) => (JSON.parse(r.body) as { data: { paymentId: string } }).data.paymentId);
      await eventually(async () => (new Set(pushedIds()).size === PAYMENTS ? true : undefined), 30_000, 100);
      // Twenty more rounds of both instances: a delivery sent twice, or recorded twice, would show by now.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(pushedIds().sort()).toEqual([...paid].sort());

      const rows = await a.running.dataSource.query<Array<{ target_id: string; status: string; attempts: number }>>(
        'SELECT `target_id`, `status`, `attempts` FROM `webhook_deliveries` WHERE `client_id` = ?',
        [credentials.clientId],
      );
      expect(rows.map((r) => r.target_id).sort()).toEqual([...paid].sort());
      expect(rows.every((r) => r.status === 'delivered' && Number(r.attempts) === 1)).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
