/**
 * A REST cancel takes the terminals' cancel road with Kafka forwarding (KAFKA_BROKERS, MariaDB): the cancel
 * order is a record on <prefix>.reversals keyed by the payment request id, and the reversal workers carry it
 * to the sandbox until it confirms.
 */
import type { Kafka } from 'kafkajs';
import { PayApiServer } from '../../../src/merchant-api/http/pay-api-server';
import { eventually, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { AdminClient } from '../admin/admin-client';
import { adminKafka, deleteTopics, kafkaBrokers, readUntil, uniquePrefix } from '../reversals/kafka-kit';
import { createApiClient, PayClient } from './pay-client';

jest.setTimeout(60_000);

const KEY = 'merchant-api-kafka-bootstrap-key-0123456789';

describe('merchant REST payment API: cancel through Kafka (MariaDB)', () => {
  const brokers = kafkaBrokers();
  const prefix = uniquePrefix('pay');
  let kafka: Kafka;
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    kafka = adminKafka(brokers);
    sut = await startTestSwitch('mysql', {
      ADMIN_BOOTSTRAP_KEY: KEY,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      REVERSAL_TOPIC_PARTITIONS: '2',
      PAY_API_REPLY_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await sut?.stop();
    if (kafka) await deleteTopics(kafka, prefix);
  });

  it('003: PROCESSING, then the cancel is a Kafka cancel order and ends CANCELLED at the sandbox', async () => {
    const admin = new AdminClient(sut.running.httpUrl);
    const pay = new PayClient(sut.running.app.get(PayApiServer).url(), await createApiClient(admin, KEY, 'MERCHANT0000002', 'kafka-app'));

    const body = { paymentCode: paymentCode('003'), amountMinor: 990, currency: 'USD', merchantOrderId: `K-${Date.now()}` };
    const answer = await pay.call('POST', '/pay/v1/payments', { body, idempotencyKey: `kafka-${Date.now()}` });
    expect(answer.body.status).toBe('PROCESSING');
    const paymentId = answer.body.paymentId as string;
    const paymentRequestId = answer.body.paymentRequestId as string;

    const cancel = await pay.call('POST', `/pay/v1/payments/${paymentId}/cancel`, { body: {}, idempotencyKey: `kafka-cancel-${Date.now()}` });
    expect(cancel.status).toBe(200);
    // The switch creates its topics in the background at start: a read can come before the broker serves them.
    const records = await eventually(
      () => readUntil(kafka, `${prefix}.reversals`, (read) => read.some((r) => r.key === paymentRequestId)).catch(() => undefined),
      40_000,
      500,
    );
    expect(records.filter((r) => r.key === paymentRequestId).length).toBeGreaterThanOrEqual(1);

    await eventually(async () => ((await pay.call('GET', `/pay/v1/payments/${paymentId}`)).body.status === 'CANCELLED' ? true : undefined), 40_000);
    expect((await sandboxPayment(sut.sandboxUrl, paymentRequestId))?.status).toBe('CANCELLED');
    expect((await admin.call('GET', '/admin/v1/reversals', { key: KEY })).body).toMatchObject({ mode: 'kafka' });
  });
});
