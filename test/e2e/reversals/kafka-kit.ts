/** Kafka pieces of the reversal suites: the broker from the environment, unique topic prefixes, clean-up. */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { headersToStrings } from '../../../src/reversals/infrastructure/kafka';

/** KAFKA_BROKERS is required: these suites prove behaviour against a real broker and are never skipped. */
export function kafkaBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || brokers.trim() === '') {
    throw new Error(
      'KAFKA_BROKERS is not set: the reversal suites need a real broker. Run `npm run test:all`, or ' +
        '`npm run kafka:up` and then KAFKA_BROKERS=127.0.0.1:9092 npx jest test/e2e/reversals',
    );
  }
  return brokers;
}

/** A topic prefix (and so topics and groups) no other suite, run or engineer on the same broker shares. */
export function uniquePrefix(label: string): string {
  return `it.${label}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function adminKafka(brokers: string): Kafka {
  return new Kafka({ clientId: 'it-reversals', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Deletes every topic under the prefix, so test runs do not pile up on a shared broker. */
export { deleteTopics } from '../../../tools/chaos/kafka-topics';

export interface TopicRecord {
  key: string;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning with a throwaway group until `enough` holds for what was read. */
export async function readUntil(
  kafka: Kafka,
  topic: string,
  enough: (records: TopicRecord[]) => boolean,
  timeoutMs = 20_000,
): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniquePrefix('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push({
          key: message.key?.toString('utf8') ?? '',
          headers: headersToStrings(message.headers),
        });
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (!enough(records)) {
      if (Date.now() > deadline)
        throw new Error(
          `${topic}: condition not met within ${timeoutMs} ms (${records.length} records read)`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await consumer.disconnect();
  }
  return records;
}
