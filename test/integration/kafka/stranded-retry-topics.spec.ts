/**
 * Retry settings changed between runs: the cancel orders waiting on a retry topic the new layout no longer
 * names are still consumed (real broker, KAFKA_BROKERS).
 */
import type { Kafka } from 'kafkajs';
import {
  ensureTopics,
  ForwardingProducer,
  forwardingTopics,
  RetryingConsumer,
  type ForwardedMessage,
  type SettledEvent,
} from '../../../src/reversals/infrastructure/kafka';
import {
  brokersFromEnv,
  readTopic,
  RecordingLogger,
  testKafka,
  uncommittedCount,
  uniqueName,
  waitUntil,
} from './kafka-test-kit';

jest.setTimeout(60_000);

describe('retry topics of a former layout', () => {
  let kafka: Kafka;
  let producer: ForwardingProducer;
  let consumer: RetryingConsumer | undefined;

  beforeAll(async () => {
    kafka = testKafka(brokersFromEnv()).kafka;
    producer = new ForwardingProducer(kafka);
    await producer.connect();
  });
  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
  });

  it('keeps consuming them: orders waiting there are carried out, or reach the dead-letter topic', async () => {
    const base = uniqueName('stranded');
    // The former layout had three retry topics; orders wait on the third.
    const former = forwardingTopics(base, 3);
    await ensureTopics(kafka, [former.main, ...former.retries, former.dlq], 2);
    const due = String(Date.now());
    const waiting = { attempt: '4', 'not-before': due, 'first-seen': due, 'last-error': 'cancel timeout' };
    await producer.send(former.retries[2], 'PAY-1', 'order 1', waiting);
    await producer.send(former.retries[2], 'PAY-2', 'order 2', waiting);

    // Now the settings name one retry topic only.
    const current = forwardingTopics(base, 1);
    const calls: ForwardedMessage[] = [];
    const settled: SettledEvent[] = [];
    consumer = new RetryingConsumer({
      kafka,
      groupId: base,
      topics: current,
      retryDelaysMs: [100],
      maxWaitTimeMs: 100,
      partitions: 2,
      handler: async (message) => {
        calls.push(message);
        return message.key === 'PAY-1' ? 'done' : { retryAfterMs: 0, reason: 'cancel timeout again' };
      },
      onSettled: (event) => settled.push(event),
      logger: new RecordingLogger(),
    });
    await consumer.start();
    await waitUntil('both stranded orders settled', () => settled.length === 2);

    expect(calls.map((m) => [m.key, m.topic, m.attempt]).sort()).toEqual([
      ['PAY-1', former.retries[2], 4],
      ['PAY-2', former.retries[2], 4],
    ]);
    // Past the current layout a retry is not lost: it goes to the dead-letter topic (and so to people).
    const [dead] = await readTopic(kafka, current.dlq, 1);
    expect(dead).toMatchObject({ key: 'PAY-2', value: 'order 2' });
    expect(dead.headers['dead-reason']).toMatch(/gave up after 4 attempts/);
    expect(await uncommittedCount(kafka, base, former.retries[2])).toBe(0);
  });
});
