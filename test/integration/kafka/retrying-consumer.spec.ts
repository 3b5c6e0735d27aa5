/**
 * The forwarding toolkit against a real broker (KAFKA_BROKERS, started by scripts/test-all.sh through
 * docker/kafka-local/kafka.sh). Each test has its own topics and group, and short retry delays.
 */
import type { Kafka } from 'kafkajs';
import {
  ForwardingProducer,
  forwardingTopics,
  RetryingConsumer,
  type ForwardedMessage,
  type ForwardingHandler,
  type ForwardingTopics,
  type HandlerOutcome,
  type SettledEvent,
} from '../../../src/reversals/infrastructure/kafka';
import {
  brokersFromEnv,
  readTopic,
  recordCount,
  RecordingLogger,
  testKafka,
  uncommittedCount,
  uniqueName,
  waitUntil,
} from './kafka-test-kit';

jest.setTimeout(60_000);

interface Call {
  readonly message: ForwardedMessage;
  readonly atMs: number;
}

describe('RetryingConsumer on a real broker', () => {
  let kafka: Kafka;
  let producer: ForwardingProducer;
  const running: RetryingConsumer[] = [];

  beforeAll(async () => {
    kafka = testKafka(brokersFromEnv()).kafka;
    producer = new ForwardingProducer(kafka);
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  /** Starts a consumer on fresh topics; returns what the handler saw and what settled. */
  async function startConsumer(options: {
    topics: ForwardingTopics;
    groupId: string;
    retryDelaysMs: number[];
    handler: (message: ForwardedMessage) => Promise<HandlerOutcome>;
    stopGraceMs?: number;
    partitions?: number;
    messagesInFlightPerPartition?: number;
  }): Promise<{
    consumer: RetryingConsumer;
    calls: Call[];
    settled: SettledEvent[];
    logger: RecordingLogger;
  }> {
    const calls: Call[] = [];
    const settled: SettledEvent[] = [];
    const logger = new RecordingLogger();
    const handler: ForwardingHandler = async (message) => {
      calls.push({ message, atMs: Date.now() });
      return options.handler(message);
    };
    const consumer = new RetryingConsumer({
      kafka,
      groupId: options.groupId,
      topics: options.topics,
      retryDelaysMs: options.retryDelaysMs,
      handler,
      partitions: options.partitions ?? 3,
      maxWaitTimeMs: 100,
      ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
      ...(options.messagesInFlightPerPartition !== undefined
        ? { messagesInFlightPerPartition: options.messagesInFlightPerPartition }
        : {}),
      onSettled: (event) => settled.push(event),
      logger,
    });
    running.push(consumer);
    await consumer.start();
    return { consumer, calls, settled, logger };
  }

  it('delivers keyed messages in order per key, each key on one partition, and commits them all', async () => {
    const base = uniqueName('keyed');
    const topics = forwardingTopics(base, 1);
    const { calls, settled } = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200],
      handler: async () => 'done',
    });

    const keys = ['txn-a', 'txn-b', 'txn-c', 'txn-d'];
    const receipts = [];
    for (let n = 0; n < 3; n += 1) {
      for (const key of keys)
        receipts.push({
          key,
          ...(await producer.send(topics.main, key, `${key}#${n}`, { 'trace-id': `${key}-${n}` })),
        });
    }
    await waitUntil('12 settled messages', () => settled.length === 12);

    for (const key of keys) {
      const seen = calls.filter((call) => call.message.key === key).map((call) => call.message);
      expect(seen.map((message) => message.value.toString())).toEqual([`${key}#0`, `${key}#1`, `${key}#2`]);
      expect(seen.map((message) => message.headers)).toEqual(
        [0, 1, 2].map((n) => ({ 'trace-id': `${key}-${n}` })),
      );
      const partitions = new Set(
        receipts.filter((receipt) => receipt.key === key).map((receipt) => receipt.partition),
      );
      expect(partitions.size).toBe(1);
      expect(seen.every((message) => partitions.has(message.partition) && message.attempt === 1)).toBe(true);
    }
    expect(settled.every((event) => event.outcome === 'done')).toBe(true);
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(0);
  });

  it("handles one partition's messages side by side, never two of one key, in order per key", async () => {
    const base = uniqueName('parallel');
    const topics = forwardingTopics(base, 1);
    // Everything is produced before the group joins, so the first fetch hands over one full batch.
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    for (let n = 0; n < 4; n += 1)
      for (const key of keys) await producer.send(topics.main, key, `${key}#${n}`);

    let running = 0;
    let most = 0;
    const busyKeys = new Set<string>();
    let sameKeyOverlap = false;
    const { calls, settled } = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200],
      partitions: 1,
      messagesInFlightPerPartition: 4,
      handler: async (message) => {
        if (busyKeys.has(message.key)) sameKeyOverlap = true;
        busyKeys.add(message.key);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        busyKeys.delete(message.key);
        return 'done';
      },
    });
    await waitUntil('24 settled messages', () => settled.length === 24);

    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    expect(sameKeyOverlap).toBe(false);
    for (const key of keys) {
      const seen = calls
        .filter((call) => call.message.key === key)
        .map((call) => call.message.value.toString());
      expect(seen).toEqual([0, 1, 2, 3].map((n) => `${key}#${n}`));
    }
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(0);
  });

  it('retries through the retry topics: fails twice, then succeeds; delivered three times, done once', async () => {
    const base = uniqueName('retry');
    const topics = forwardingTopics(base, 2);
    const outcomes: (() => Promise<HandlerOutcome>)[] = [
      async () => {
        throw new Error('Alipay unreachable');
      },
      async () => ({ retryAfterMs: 0, reason: 'cancel answered U' }),
      async () => 'done',
    ];
    const { calls, settled } = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200, 300],
      handler: async (message) => outcomes[message.attempt - 1](),
    });

    await producer.send(topics.main, 'txn-1', '{"cancel":"txn-1"}', { 'trace-id': 't-1' });
    await waitUntil('the message to be done', () => settled.some((event) => event.outcome === 'done'));

    expect(calls.map((call) => [call.message.topic, call.message.attempt, call.message.lastError])).toEqual([
      [topics.main, 1, undefined],
      [topics.retries[0], 2, 'Error: Alipay unreachable'],
      [topics.retries[1], 3, 'cancel answered U'],
    ]);
    expect(new Set(calls.map((call) => call.message.firstSeenMs)).size).toBe(1);
    expect(
      calls.every((call) => call.message.key === 'txn-1' && call.message.headers['trace-id'] === 't-1'),
    ).toBe(true);
    expect(settled.map((event) => [event.outcome, event.forwardedTo])).toEqual([
      ['retried', topics.retries[0]],
      ['retried', topics.retries[1]],
      ['done', undefined],
    ]);

    // Each retry copy was handled no sooner than its not-before.
    for (const [index, topic] of topics.retries.entries()) {
      const [copy] = await readTopic(kafka, topic, 1);
      expect(copy.headers).toMatchObject({ attempt: String(index + 2), 'trace-id': 't-1' });
      expect(calls[index + 1].atMs).toBeGreaterThanOrEqual(Number(copy.headers['not-before']));
    }
    for (const topic of [topics.main, ...topics.retries])
      expect(await uncommittedCount(kafka, base, topic)).toBe(0);
    expect(await recordCount(kafka, topics.dlq)).toBe(0);
  });

  it('sends a message the handler declares dead to the dead-letter topic, with the reason and origin', async () => {
    const base = uniqueName('dead');
    const topics = forwardingTopics(base, 1);
    const { calls, settled } = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200],
      handler: async () => ({ dead: 'merchant contract closed' }),
    });

    const receipt = await producer.send(topics.main, 'txn-9', 'payload-9', { 'trace-id': 't-9' });
    const [dead] = await readTopic(kafka, topics.dlq, 1);

    expect(dead).toMatchObject({ key: 'txn-9', value: 'payload-9' });
    expect(dead.headers).toMatchObject({
      'trace-id': 't-9',
      attempt: '1',
      'dead-reason': 'merchant contract closed',
      'origin-topic': topics.main,
      'origin-partition': String(receipt.partition),
      'origin-offset': receipt.offset,
    });
    await waitUntil('the dead outcome to settle', () => settled.length === 1);
    expect(settled[0]).toMatchObject({ outcome: 'dead', forwardedTo: topics.dlq });
    expect(calls).toHaveLength(1);
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(0);
    expect(await recordCount(kafka, topics.retries[0])).toBe(0);
  });

  it('gives up after the last retry topic: a handler that always throws ends in the dead-letter topic', async () => {
    const base = uniqueName('exhaust');
    const topics = forwardingTopics(base, 2);
    const { calls, logger } = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [100, 100],
      handler: async () => {
        throw new Error('declined code 281234567890123456');
      },
    });

    await producer.send(topics.main, 'txn-2', 'payload-2');
    const [dead] = await readTopic(kafka, topics.dlq, 1);

    expect(calls.map((call) => call.message.attempt)).toEqual([1, 2, 3]);
    expect(dead.headers).toMatchObject({
      attempt: '3',
      'dead-reason': 'gave up after 3 attempts',
      // The payment code in the handler's error is masked before it is written anywhere.
      'last-error': 'Error: declined code 28************3456',
      'origin-topic': topics.retries[1],
    });
    expect(logger.lines.filter((line) => line.message === 'forwarding consumer crashed')).toEqual([]);
  });

  it('does not let a poison message block the messages behind it on the same partition', async () => {
    const base = uniqueName('poison');
    const topics = forwardingTopics(base, 1);
    const { calls, settled } = await startConsumer({
      topics,
      groupId: base,
      // Long enough that the poison is still parked in the retry topic when the test ends.
      retryDelaysMs: [60_000],
      handler: async (message) => {
        if (message.value.toString() === 'poison') throw new Error('cannot parse');
        return 'done';
      },
    });

    const poison = await producer.send(topics.main, 'same-key', 'poison');
    const behind = [];
    for (const n of [1, 2, 3]) behind.push(await producer.send(topics.main, 'same-key', `good-${n}`));
    expect(behind.every((receipt) => receipt.partition === poison.partition)).toBe(true);

    await waitUntil(
      'the three good messages',
      () => settled.filter((event) => event.outcome === 'done').length === 3,
    );
    expect(calls.map((call) => call.message.value.toString())).toEqual([
      'poison',
      'good-1',
      'good-2',
      'good-3',
    ]);
    expect(settled[0]).toMatchObject({ outcome: 'retried', forwardedTo: topics.retries[0] });

    // The poison is parked, not lost: one copy waits in the retry topic, due about a minute from now.
    const [parked] = await readTopic(kafka, topics.retries[0], 1);
    expect(parked).toMatchObject({ key: 'same-key', value: 'poison' });
    expect(Number(parked.headers['not-before'])).toBeGreaterThan(Date.now() + 30_000);
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(0);
    expect(await uncommittedCount(kafka, base, topics.retries[0])).toBe(1);
  });

  it('redelivers a message whose handler was still running when its consumer stopped', async () => {
    const base = uniqueName('redeliver');
    const topics = forwardingTopics(base, 1);
    let release: () => void = () => undefined;
    const hanging = new Promise<HandlerOutcome>((resolve) => {
      release = () => resolve('done');
    });
    const first = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200],
      stopGraceMs: 100,
      handler: () => hanging,
    });

    const receipt = await producer.send(topics.main, 'txn-3', 'payload-3');
    await waitUntil('the first consumer to receive it', () => first.calls.length === 1);
    await first.consumer.stop();
    release(); // too late: the first consumer has left without committing

    expect(first.settled).toEqual([]);
    expect(first.logger.lines.map((line) => line.message)).toContain(
      'handlers still running at stop; their messages stay uncommitted and will be delivered again',
    );
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(1);

    const second = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200],
      handler: async () => 'done',
    });
    await waitUntil('the second consumer to settle it', () => second.settled.length === 1);
    expect(
      second.calls.map((call) => [
        call.message.key,
        call.message.partition,
        call.message.offset,
        call.message.attempt,
      ]),
    ).toEqual([['txn-3', receipt.partition, receipt.offset, 1]]);
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(0);
  });

  it('lets a handler that finishes within the stop grace commit, so it is not delivered again', async () => {
    const base = uniqueName('graceful');
    const topics = forwardingTopics(base, 1);
    let release: () => void = () => undefined;
    const gate = new Promise<HandlerOutcome>((resolve) => {
      release = () => resolve('done');
    });
    const { consumer, calls, settled } = await startConsumer({
      topics,
      groupId: base,
      retryDelaysMs: [200],
      stopGraceMs: 20_000,
      handler: () => gate,
    });

    await producer.send(topics.main, 'txn-4', 'payload-4');
    await waitUntil('the handler to start', () => calls.length === 1);
    const stopping = consumer.stop();
    release();
    await stopping;

    expect(settled).toMatchObject([{ outcome: 'done', key: 'txn-4' }]);
    expect(await uncommittedCount(kafka, base, topics.main)).toBe(0);
  });
});
