/**
 * A broker outage in the middle of a stream: a second broker of our own (docker/kafka-local/kafka.sh on
 * free ports and a temporary data dir) is stopped after the first records and started again while sends
 * are waiting. The idempotent producer must carry every send through, with nothing lost or duplicated and
 * each key still in order; a consumer running across the outage must recover and handle every record.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { freePort } from '../../support/free-port';
import {
  createKafka,
  ensureTopics,
  ForwardingProducer,
  forwardingTopics,
  RetryingConsumer,
  type SendReceipt,
} from '../../../src/reversals/infrastructure/kafka';
import {
  brokersFromEnv,
  readTopic,
  recordCount,
  RecordingLogger,
  uniqueName,
  waitUntil,
} from './kafka-test-kit';

const KAFKA_SH = resolve(__dirname, '../../../docker/kafka-local/kafka.sh');

jest.setTimeout(120_000);


function kafkaSh(command: 'start-broker' | 'stop-broker', env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    execFile('bash', [KAFKA_SH, command], { env, timeout: 100_000 }, (error, _stdout, stderr) => {
      if (error) fail(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`));
      else done();
    });
  });
}

describe('a broker outage mid-stream', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let kafka: Kafka;
  let producer: ForwardingProducer | undefined;
  let consumer: RetryingConsumer | undefined;

  beforeAll(async () => {
    // The main broker is not used here, but its absence means the integration environment is not up,
    // and this test should fail the same clear way as the others rather than quietly start JVMs.
    brokersFromEnv();
    dataDir = mkdtempSync(join(tmpdir(), 'kafka-outage-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_DATA_DIR: dataDir,
      KAFKA_NUM_PARTITIONS: '3',
    };
    await kafkaSh('start-broker', env);
    kafka = createKafka(
      { brokers: [`127.0.0.1:${port}`], clientId: 'it-outage' },
      // Connection errors during the outage are expected; they are recorded, not printed.
      { logger: new RecordingLogger(), retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 30 } },
    );
  });

  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    if (env !== undefined) await kafkaSh('stop-broker', env);
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing: sends made while the broker is down complete once it is back, in order per key', async () => {
    const base = uniqueName('outage');
    const topics = forwardingTopics(base, 1);
    await ensureTopics(kafka, [topics.main, ...topics.retries, topics.dlq], 3);
    producer = new ForwardingProducer(kafka);
    await producer.connect();
    const sender = producer;

    const handled = new Set<string>();
    consumer = new RetryingConsumer({
      kafka,
      groupId: base,
      topics,
      retryDelaysMs: [200],
      maxWaitTimeMs: 100,
      handler: async (message) => {
        handled.add(message.value.toString());
        return 'done';
      },
    });
    await consumer.start();

    const receipts = new Map<string, SendReceipt>();
    const sendRange = async (from: number, to: number): Promise<void> => {
      for (let n = from; n <= to; n += 1)
        receipts.set(`m${n}`, await sender.send(topics.main, `key-${n % 4}`, `m${n}`));
    };

    await sendRange(1, 10);
    await kafkaSh('stop-broker', env);
    // Issued while nothing listens: each waits in the producer's retries.
    const duringOutage = sendRange(11, 20);
    await kafkaSh('start-broker', env);
    await duringOutage;
    await sendRange(21, 30);

    const values = Array.from({ length: 30 }, (_, index) => `m${index + 1}`);
    expect([...receipts.keys()]).toEqual(values);
    expect(await recordCount(kafka, topics.main)).toBe(30);
    const records = await readTopic(kafka, topics.main, 30);
    expect(records.map((record) => record.value).sort()).toEqual([...values].sort());
    for (let key = 0; key < 4; key += 1) {
      const inLog = records
        .filter((record) => record.key === `key-${key}`)
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((record) => record.value);
      expect(inLog).toEqual(values.filter((_, index) => (index + 1) % 4 === key));
    }

    await waitUntil(
      'the consumer to handle all 30 after the outage',
      () => values.every((value) => handled.has(value)),
      60_000,
    );
  });
});
