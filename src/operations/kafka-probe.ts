/**
 * A small kafkajs admin for operations: is the cluster reachable (readiness), and how many records sit in
 * the reversal dead-letter topic (metrics). Connected lazily, dropped after a failure so the next call
 * reconnects; each request is bounded by a short timeout so a dead broker cannot hang a probe or a scrape.
 */
import type { Admin, Kafka } from 'kafkajs';
import { createKafka, forwardingTopics } from '../reversals/infrastructure/kafka';
import { withTimeout } from './with-timeout';

export interface KafkaProbeOptions {
  brokers: readonly string[];
  clientId: string;
  topicPrefix: string;
  timeoutMs: number;
}

export class KafkaProbe {
  private readonly kafka: Kafka;
  private readonly dlqTopic: string;
  private admin: Promise<Admin> | undefined;

  constructor(private readonly options: KafkaProbeOptions) {
    this.kafka = createKafka(
      { brokers: options.brokers, clientId: `${options.clientId}-ops` },
      { connectionTimeoutMs: options.timeoutMs, requestTimeoutMs: options.timeoutMs, retry: { retries: 0 } },
    );
    this.dlqTopic = forwardingTopics(`${options.topicPrefix}.reversals`, 0).dlq;
  }

  /** Resolves with the number of brokers in the cluster; rejects when none answers in time. */
  async ping(): Promise<number> {
    const cluster = await this.request((admin) => admin.describeCluster());
    return cluster.brokers.length;
  }

  /** Records retained in the dead-letter topic (0 while it does not exist). */
  async deadLetters(): Promise<number> {
    const topics = await this.request((admin) => admin.listTopics());
    if (!topics.includes(this.dlqTopic)) return 0;
    const offsets = await this.request((admin) => admin.fetchTopicOffsets(this.dlqTopic));
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await admin.then((a) => a.disconnect()).catch(() => undefined);
  }

  private async request<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(this.connected().then(work), this.options.timeoutMs, 'Kafka');
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }
}
