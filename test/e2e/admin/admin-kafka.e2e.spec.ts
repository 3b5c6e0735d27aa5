/**
 * The admin API's queue actions with Kafka forwarding (KAFKA_BROKERS, MariaDB): a cancel through the API
 * that runs out of attempts on the retry topics becomes a dead letter, and its replay drives it through
 * Kafka again until Alipay confirms.
 */
import type { Kafka } from 'kafkajs';
import { PosClient } from '../../../tools/pos/pos-client';
import { eventually, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { adminKafka, deleteTopics, kafkaBrokers, uniquePrefix } from '../reversals/kafka-kit';
import { buy } from '../reversals/reversal-helpers';
import { AdminClient } from './admin-client';

jest.setTimeout(60_000);

const KEY = 'bootstrap-key-for-kafka-tests-0123456789';
const reason = 'e2e test';

describe('admin API queue actions through Kafka (MariaDB)', () => {
  const brokers = kafkaBrokers();
  const prefix = uniquePrefix('adm');
  let kafka: Kafka;
  let sut: SwitchUnderTest;
  let pos: PosClient;
  let api: AdminClient;

  beforeAll(async () => {
    kafka = adminKafka(brokers);
    sut = await startTestSwitch('mysql', {
      ADMIN_BOOTSTRAP_KEY: KEY,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      REVERSAL_TOPIC_PARTITIONS: '2',
      // Three attempts, each refused by code ...006's first three cancels: the cancel gives up.
      CANCEL_RETRY_INTERVAL_MS: '50',
      CANCEL_RETRY_WINDOW_MS: '100',
      CANCEL_BACKOFF_MS: 'none',
      LOG_LEVEL: 'warn',
    });
    api = new AdminClient(sut.running.httpUrl);
    pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
  });

  afterAll(async () => {
    await pos?.close();
    await sut?.stop();
    if (kafka) await deleteTopics(kafka, prefix);
  });

  it('replays a dead-lettered cancel through Kafka until Alipay confirms it', async () => {
    const bought = await buy(pos, '006');
    const cancel = await api.call('POST', `/admin/v1/transactions/${bought.paymentRequestId}/cancel`, { key: KEY, body: { reason } });
    expect(cancel.status).toBe(202);
    const dead = await eventually(async () => {
      const items = (await api.call('GET', '/admin/v1/reversals/dead-letters', { key: KEY })).body.items as Array<{ id: string }>;
      return items.some((d) => d.id === bought.paymentRequestId) ? items : undefined;
    }, 40_000);
    expect(dead.map((d) => d.id)).toEqual([bought.paymentRequestId]);
    const summary = (await api.call('GET', '/admin/v1/reversals', { key: KEY })).body;
    expect(summary).toMatchObject({ mode: 'kafka', deadLetters: 1, openInterventions: 1 });
    expect((await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status).toBe('SUCCESS');

    const replay = await api.call('POST', `/admin/v1/reversals/dead-letters/${bought.paymentRequestId}/replay`, { key: KEY, body: { reason } });
    expect(replay.status).toBe(202);
    await eventually(async () =>
      (await api.call('GET', `/admin/v1/transactions/${bought.paymentRequestId}`, { key: KEY })).body.payment.state === 'CANCELLED' ? true : undefined,
    40_000);
    expect((await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status).toBe('CANCELLED');
    expect((await api.call('GET', '/admin/v1/reversals', { key: KEY })).body).toMatchObject({ deadLetters: 0 });
  });
});
