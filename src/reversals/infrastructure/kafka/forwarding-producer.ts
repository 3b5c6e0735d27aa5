import { Partitioners, type Kafka, type Producer, type RetryOptions } from 'kafkajs';
import { KafkaSendError } from './kafka.errors';

export interface ForwardingProducerOptions {
  /**
   * Retries of one send. kafkajs retries an idempotent producer's sends without limit by default, which is
   * what store-and-forward wants: a send waits through a broker outage instead of failing. Only the wait
   * between tries is capped (5 s), so a send goes through soon after the broker is back.
   */
  readonly retry?: RetryOptions;
  /** How long the broker may wait for all in-sync replicas before it answers a write. */
  readonly ackTimeoutMs?: number;
}

/** Where an acknowledged record landed. */
export interface SendReceipt {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * A kafkajs producer set up for commands that must not be lost or reordered: idempotent (the broker drops
 * the duplicates its own retries would create), one request in flight (retries cannot reorder a key's
 * records), acks from all in-sync replicas, and keyed records (one key, one partition, one order).
 */
export class ForwardingProducer {
  private readonly producer: Producer;
  private readonly ackTimeoutMs: number;

  constructor(kafka: Kafka, options: ForwardingProducerOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The Java client's murmur2 partitioner: a key lands where Java producers would put it. Passing it
      // explicitly also silences kafkajs's "switched default partitioner" warning.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: {
        retries: Number.MAX_SAFE_INTEGER,
        initialRetryTime: 300,
        maxRetryTime: 5_000,
        ...options.retry,
      },
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /**
   * Resolves once the broker has acknowledged the record (acks from all in-sync replicas). Rejects with
   * KafkaSendError only when kafkajs gives up; the record may then still have been written.
   */
  async send(
    topic: string,
    key: string | Buffer | null,
    value: string | Buffer,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<SendReceipt> {
    try {
      const [receipt] = await this.producer.send({
        topic,
        acks: -1,
        timeout: this.ackTimeoutMs,
        messages: [{ key, value, headers: { ...headers } }],
      });
      if (receipt === undefined) throw new Error('the broker answered without a record receipt');
      return { topic: receipt.topicName, partition: receipt.partition, offset: receipt.baseOffset ?? '' };
    } catch (error) {
      throw new KafkaSendError(topic, error);
    }
  }
}
