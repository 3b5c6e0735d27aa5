import type { Kafka } from 'kafkajs';
import { KafkaConfigError } from './kafka.errors';
import type { ForwardingTopics } from './kafka.config';

export function allTopicNames(topics: ForwardingTopics): string[] {
  return [topics.main, ...topics.retries, topics.dlq];
}

/**
 * Creates the topics that are missing, with `partitions` partitions each, and waits for their leaders.
 * Topics that exist are left as they are. Creating them up front (rather than relying on the broker's
 * auto-creation) gives every environment the same partition count and lets the consumer group see all
 * partitions from its first assignment.
 */
export async function ensureTopics(
  kafka: Kafka,
  names: readonly string[],
  partitions: number,
): Promise<void> {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new KafkaConfigError(`a topic needs at least one partition, got ${partitions}`);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = names.filter((name) => !existing.has(name));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
    });
  } finally {
    await admin.disconnect();
  }
}
