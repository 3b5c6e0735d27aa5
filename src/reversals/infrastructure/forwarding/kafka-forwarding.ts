/**
 * Kafka configured: the relay produces cancel orders to the reversals topic, a consumer group of workers
 * (the toolkit's RetryingConsumer) carries them to Alipay through the retry topics, and the dead-letter
 * recorder watches the dead-letter topic. Everything connects in the background and keeps trying while the
 * broker is away: the switch starts, and answers terminals, without it.
 */
import type { Kafka } from 'kafkajs';
import type { CancellationService } from '../../../payments/application/cancellation.service';
import type { Clock } from '../../../payments/application/ports/clock.port';
import type { CancelWorker } from '../../application/cancel-worker';
import { OutboxRelay } from '../../application/outbox-relay';
import type { OutboxStore } from '../../application/ports/outbox.port';
import type { ReversalsLog } from '../../application/ports/reversals-log.port';
import type { CancelRetryPolicy } from '../../domain/retry-policy';
import {
  allTopicNames,
  createKafka,
  ensureTopics,
  ForwardingProducer,
  forwardingTopics,
  RetryingConsumer,
  type ForwardingTopics,
  type KafkaConnectionConfig,
  type SettledEvent,
} from '../kafka';
import { cancelHandler } from './cancel-handler';
import { DeadLetterRecorder } from './dead-letter-recorder';
import { RELAYED_KINDS, type ForwardingRuntime } from './forwarding-runtime';
import { KafkaCancelSink } from './kafka-cancel-sink';

export interface KafkaForwardingOptions extends KafkaConnectionConfig {
  /** `<prefix>.reversals` (+ `.retry.N`, `.dlq`), groups `<prefix>.reversal-workers` and `<prefix>.reversal-dead-letters`. */
  readonly topicPrefix: string;
  readonly policy: CancelRetryPolicy;
  readonly partitions: number;
  /** Partitions consumed at once. */
  readonly concurrency: number;
  /** Cancel orders of one partition worked on at once (never two with the same key). */
  readonly cancelsPerPartition: number;
  readonly sessionTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  /** Called after each delivery is settled (tests and benchmarks count them). */
  readonly onSettled?: (event: SettledEvent) => void;
}

export interface KafkaForwardingDeps {
  readonly outbox: OutboxStore;
  readonly worker: CancelWorker;
  readonly cancellation: CancellationService;
  readonly clock: Clock;
  readonly log: ReversalsLog;
}

const RESTART_AFTER_MS = 2_000;

export class KafkaForwarding implements ForwardingRuntime {
  readonly mode = 'kafka';
  readonly relay: OutboxRelay;
  readonly topics: ForwardingTopics;
  private readonly kafka: Kafka;
  private readonly producer: ForwardingProducer;
  private prepared: Promise<void> | undefined;
  private consumer: RetryingConsumer | undefined;
  private recorder: DeadLetterRecorder | undefined;
  private running = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly deps: KafkaForwardingDeps,
    private readonly options: KafkaForwardingOptions,
  ) {
    this.kafka = createKafka(options, { logger: deps.log });
    this.producer = new ForwardingProducer(this.kafka);
    this.topics = forwardingTopics(`${options.topicPrefix}.reversals`, options.policy.delaysMs.length);
    const sink = new KafkaCancelSink(this.producer, this.topics.main, () => this.prepare());
    this.relay = new OutboxRelay(deps.outbox, sink, deps.clock, deps.log, {
      kinds: RELAYED_KINDS,
      batchSize: options.batchSize,
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.relay.start();
    this.starting = this.startWorkers();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.relay.stop();
    await this.starting;
    await this.stopWorkers();
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Topics with the configured partitions (created before the first record, or auto-creation would pick its own) and a connected producer. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await ensureTopics(this.kafka, allTopicNames(this.topics), this.options.partitions);
      await this.producer.connect();
    })().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  private async startWorkers(): Promise<void> {
    while (this.running) {
      try {
        await this.prepare();
        const consumer = new RetryingConsumer({
          kafka: this.kafka,
          groupId: `${this.options.topicPrefix}.reversal-workers`,
          topics: this.topics,
          handler: cancelHandler(this.deps.worker),
          retryDelaysMs: this.options.policy.delaysMs,
          producer: this.producer,
          partitions: this.options.partitions,
          partitionsConsumedConcurrently: this.options.concurrency,
          messagesInFlightPerPartition: this.options.cancelsPerPartition,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          logger: this.deps.log,
          ...(this.options.onSettled ? { onSettled: this.options.onSettled } : {}),
        });
        this.consumer = consumer;
        await consumer.start();
        const recorder = new DeadLetterRecorder(
          {
            kafka: this.kafka,
            topic: this.topics.dlq,
            groupId: `${this.options.topicPrefix}.reversal-dead-letters`,
            sessionTimeoutMs: this.options.sessionTimeoutMs,
          },
          this.deps.cancellation,
          this.deps.log,
        );
        this.recorder = recorder;
        await recorder.start();
        this.deps.log.info({ topics: this.topics }, 'reversal workers consuming');
        return;
      } catch (err) {
        this.deps.log.warn(
          { err: err instanceof Error ? err.message : String(err), retryInMs: RESTART_AFTER_MS },
          'reversal workers could not start; will try again',
        );
        await this.stopWorkers();
        await new Promise((resolve) => setTimeout(resolve, RESTART_AFTER_MS).unref());
      }
    }
  }

  private async stopWorkers(): Promise<void> {
    const consumer = this.consumer;
    const recorder = this.recorder;
    this.consumer = undefined;
    this.recorder = undefined;
    await consumer?.stop().catch(() => undefined);
    await recorder?.stop().catch(() => undefined);
  }
}
