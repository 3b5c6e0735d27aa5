/**
 * Shared pieces of the Kafka integration tests: the broker address (required, never skipped), unique
 * topic and group names per run, a reader that collects a topic, and a bounded wait for an event.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  createKafka,
  headersToStrings,
  parseBrokerList,
  type ForwardingLogger,
} from '../../../src/reversals/infrastructure/kafka';

export function brokersFromEnv(): string[] {
  const list = process.env.KAFKA_BROKERS;
  if (list === undefined || list.trim() === '') {
    throw new Error(
      'KAFKA_BROKERS is not set: these tests need a real broker. Run `npm run test:all`, or `npm run kafka:up` ' +
        'and then KAFKA_BROKERS=127.0.0.1:9092 npx jest test/integration/kafka',
    );
  }
  return parseBrokerList(list);
}

/** A kafkajs client whose warnings are kept for the failure message instead of printed. */
export function testKafka(
  brokers: readonly string[],
  clientId = 'it-kafka',
): { kafka: Kafka; logger: RecordingLogger } {
  const logger = new RecordingLogger();
  return { kafka: createKafka({ brokers, clientId }, { logger }), logger };
}

/** A topic base and group id no other run (or engineer on the same broker) can collide with. */
export function uniqueName(label: string): string {
  return `it.${label}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export class RecordingLogger implements ForwardingLogger {
  readonly lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  info(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

/** Resolves when `predicate` holds; rejects with `what` after `timeoutMs` (a bound, not a timing assertion). */
export async function waitUntil(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface ReadRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: string;
}

/** Reads `count` records of a topic from the beginning with a throwaway group. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          key: message.key?.toString('utf8') ?? '',
          value: message.value?.toString('utf8') ?? '',
          headers: headersToStrings(message.headers),
          partition,
          offset: message.offset,
        });
      },
    });
    await waitUntil(
      `${count} records on ${topic} (have ${records.length})`,
      () => records.length >= count,
      timeoutMs,
    );
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * How many records of `topic` the group has not committed yet: the sum over partitions of the log-end
 * offset minus the committed offset (a partition with no commit counts from 0).
 */
export async function uncommittedCount(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedBy = new Map(
      (committed?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
    );
    return ends.reduce(
      (sum, { partition, high }) => sum + Number(high) - Math.max(committedBy.get(partition) ?? 0, 0),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}

/** How many records a topic holds (log-end offsets summed; the test topics are never compacted or trimmed). */
export async function recordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}
