/** Clean-up of a run's Kafka topics on a shared broker. */
import type { Kafka } from 'kafkajs';

/**
 * Deletes every topic under the prefix. A chaos run's reversal topics are many (one retry topic per step of
 * the 60 s retry window at its short interval, 8 partitions each): left behind, a few runs exhaust the heap
 * of a small local broker.
 */
export async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
