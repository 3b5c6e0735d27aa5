import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { ForwardedMessage, ForwardingHandler } from './forwarding-handler';
import {
  deadLetterHeaders,
  headersToStrings,
  readEnvelope,
  retryHeaders,
  type Envelope,
} from './forwarding-headers';
import { silentLogger, type ForwardingLogger } from './forwarding-logger';
import { ForwardingProducer } from './forwarding-producer';
import { inKeyOrder } from './key-ordered';
import { allTopicNames, ensureTopics } from './forwarding-topics';
import {
  DEFAULT_RETRY_DELAYS_MS,
  DEFAULT_TOPIC_PARTITIONS,
  validateRetryDelays,
  type ForwardingTopics,
} from './kafka.config';
import { KafkaConfigError } from './kafka.errors';
import {
  routeVerdict,
  verdictOf,
  verdictOfError,
  type Route,
  type RetrySchedule,
  type Verdict,
} from './retry-route';
import { strandedRetryTopics } from './stranded-retry-topics';

export interface RetryingConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: ForwardingTopics;
  readonly handler: ForwardingHandler;
  /** The wait before each retry, one per retry topic (DEFAULT_RETRY_DELAYS_MS when absent). */
  readonly retryDelaysMs?: readonly number[];
  /** A connected producer to share; when absent the consumer makes one and owns it. */
  readonly producer?: ForwardingProducer;
  /** Partitions of each topic created at start (existing topics are left alone). Default 3. */
  readonly partitions?: number;
  /** Partitions whose batches are handled at the same time. Default 1. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Messages of one partition handled at the same time, never two of the same key: order holds per key,
   * which is all a keyed partition promises. Default 1 (the partition strictly in order).
   */
  readonly messagesInFlightPerPartition?: number;
  /**
   * How long a fetch may wait on the broker for new records. It also bounds how late a resumed retry
   * partition is picked up, so it is kept well under the shortest retry delay. Default 1000.
   */
  readonly maxWaitTimeMs?: number;
  /** kafkajs session timeout; a handler must finish within it (kafkajs heartbeats between messages). */
  readonly sessionTimeoutMs?: number;
  /** How long stop() lets running handlers finish before it leaves them uncommitted. Default 10000. */
  readonly stopGraceMs?: number;
  /** A group with no committed offset starts at the oldest record (default) rather than the newest. */
  readonly fromBeginning?: boolean;
  readonly now?: () => number;
  /** Called after each message's outcome is handed off and its offset committed. */
  readonly onSettled?: (event: SettledEvent) => void;
  readonly logger?: ForwardingLogger;
}

/** One delivery finished: handled, moved to a retry topic, or moved to the dead-letter topic. */
export interface SettledEvent {
  readonly outcome: 'done' | 'retried' | 'dead';
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly attempt: number;
  /** The retry or dead-letter topic the message was handed to. */
  readonly forwardedTo?: string;
  readonly reason?: string;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Offsets are committed at least this often within a long batch, bounding what a crash makes redo. */
const COMMIT_EVERY = 100;

/** A message read from a batch, with what the toolkit's headers say about it. */
interface Delivery {
  readonly message: KafkaMessage;
  readonly envelope: Envelope;
}

/** A delivery that has been handled and whose outcome (commit, retry copy or dead-letter copy) is handed off. */
interface Finished {
  readonly route: Route;
  readonly key: string;
  readonly offset: string;
  readonly attempt: number;
  readonly forwardedTo: string | undefined;
}

const ABANDONED = Symbol('abandoned');

/**
 * A consumer group over a main topic and its retry topics that hands every message to a handler and then
 * commits it, forwards it to the next retry topic, or forwards it to the dead-letter topic.
 *
 * Offsets are committed only after the outcome has been handed off (the retry or dead-letter copy
 * acknowledged by the broker): a crash in between redelivers the message, never loses it. Delivery is
 * therefore at least once and handlers must be idempotent by key.
 *
 * A partition is consumed a batch at a time: its messages are handled side by side (never two of one key),
 * and one offset commit covers every message handled (at least every COMMIT_EVERY messages).
 *
 * A copy on a retry topic carries `not-before`. When one is read too early its partition is paused and the
 * consumer seeks back to it, and a timer resumes the partition when it is due. Nothing sleeps inside the
 * batch handler, so heartbeats and every other partition carry on. Each retry topic has one delay, so the
 * copies in a partition come due in order and the paused head is always the next one due.
 */
export class RetryingConsumer {
  private readonly options: RetryingConsumerOptions;
  private readonly schedule: RetrySchedule;
  private readonly attemptByTopic: Map<string, number>;
  /** Every topic read: the layout's, plus retry topics of a former layout that may still hold messages. */
  private consumedTopics: string[] = [];
  private readonly producer: ForwardingProducer;
  private readonly ownsProducer: boolean;
  private readonly now: () => number;
  private readonly logger: ForwardingLogger;
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private consumer: Consumer | undefined;
  private state: State = 'idle';
  private abandon: () => void = () => undefined;
  private readonly abandoned: Promise<typeof ABANDONED>;

  constructor(options: RetryingConsumerOptions) {
    const delaysMs = validateRetryDelays(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
    if (delaysMs.length !== options.topics.retries.length) {
      throw new KafkaConfigError(
        `${options.topics.retries.length} retry topics need ${options.topics.retries.length} retry delays, got ${delaysMs.length}`,
      );
    }
    this.options = options;
    this.schedule = { topics: options.topics, delaysMs };
    this.attemptByTopic = new Map([
      [options.topics.main, 1],
      ...options.topics.retries.map((topic, index): [string, number] => [topic, index + 2]),
    ]);
    this.producer = options.producer ?? new ForwardingProducer(options.kafka);
    this.ownsProducer = options.producer === undefined;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.abandoned = new Promise((resolve) => {
      this.abandon = () => resolve(ABANDONED);
    });
  }

  /** Creates missing topics, joins the group and starts consuming; resolves once the group is joined. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`RetryingConsumer cannot start when ${this.state}`);
    this.state = 'starting';
    const { kafka, topics } = this.options;
    await ensureTopics(kafka, allTopicNames(topics), this.options.partitions ?? DEFAULT_TOPIC_PARTITIONS);
    if (this.ownsProducer) await this.producer.connect();
    const consumer = kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1_000,
      ...(this.options.sessionTimeoutMs !== undefined
        ? { sessionTimeout: this.options.sessionTimeoutMs }
        : {}),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      this.logger.error(
        { groupId: this.options.groupId, error: event.payload.error.message, restart: event.payload.restart },
        'forwarding consumer crashed',
      );
    });
    await consumer.connect();
    const stranded = await this.findStrandedRetryTopics();
    for (const { topic, attempt } of stranded) this.attemptByTopic.set(topic, attempt);
    this.consumedTopics = [topics.main, ...topics.retries, ...stranded.map((s) => s.topic)];
    await consumer.subscribe({
      topics: this.consumedTopics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.track(this.consumeBatch(payload)),
    });
    this.state = 'running';
  }

  /**
   * Stops taking new messages, lets running handlers finish and commit for up to `stopGraceMs`, then
   * leaves the group. A handler still running after the grace is left uncommitted: its message will be
   * delivered again, to this group's next member.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    const consumer = this.consumer;
    this.state = 'stopping';
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
    try {
      if (consumer !== undefined) {
        // Pausing every topic keeps kafkajs from starting the next message while the last ones finish.
        consumer.pause(this.consumedTopics.map((topic) => ({ topic })));
        await this.drain(this.options.stopGraceMs ?? 10_000);
        // kafkajs refuses commits once its own stop has begun, so in-flight work is settled before it.
        await consumer.disconnect();
      }
    } finally {
      if (this.ownsProducer) await this.producer.disconnect();
      this.state = 'stopped';
    }
  }

  private async findStrandedRetryTopics(): Promise<{ topic: string; attempt: number }[]> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const stranded = strandedRetryTopics(await admin.listTopics(), this.options.topics);
      if (stranded.length > 0)
        this.logger.warn(
          { groupId: this.options.groupId, topics: stranded.map((s) => s.topic) },
          'retry topics outside the current layout are still consumed (they may hold messages)',
        );
      return stranded;
    } finally {
      await admin.disconnect();
    }
  }

  private async drain(graceMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), expired]);
    clearTimeout(timer);
    if (this.inFlight.size > 0) {
      this.logger.warn(
        { groupId: this.options.groupId, running: this.inFlight.size, graceMs },
        'handlers still running at stop; their messages stay uncommitted and will be delivered again',
      );
      this.abandon();
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const tierAttempt = this.attemptByTopic.get(topic) ?? 1;
    let due: Delivery[] = [];
    for (const message of batch.messages) {
      // Between stop() pausing the topics and kafkajs noticing, a fetched batch may still offer messages:
      // they are left uncommitted for whoever consumes the partition next.
      if (!this.accepting()) return;
      const envelope = this.envelopeOf(message, tierAttempt);
      const waitMs = envelope.notBeforeMs - this.now();
      if (waitMs > 0) {
        if (!(await this.finish(topic, partition, due, resolveOffset, heartbeat, isStale))) return;
        this.deferPartition(this.requireConsumer(), topic, partition, message.offset, waitMs);
        return;
      }
      due.push({ message, envelope });
      if (due.length >= COMMIT_EVERY) {
        if (!(await this.finish(topic, partition, due, resolveOffset, heartbeat, isStale))) return;
        due = [];
      }
    }
    await this.finish(topic, partition, due, resolveOffset, heartbeat, isStale);
  }

  /**
   * Handles `due`, hands off every outcome, then commits past the last of them. False when the rest of
   * the batch must be left alone: the consumer is stopping or the partition went to another member.
   */
  private async finish(
    topic: string,
    partition: number,
    due: readonly Delivery[],
    resolveOffset: (offset: string) => void,
    heartbeat: () => Promise<void>,
    isStale: () => boolean,
  ): Promise<boolean> {
    if (due.length === 0) return true;
    const finished = await inKeyOrder(
      due,
      (d) => d.message.key?.toString('utf8') ?? '',
      this.options.messagesInFlightPerPartition ?? 1,
      async (delivery) => {
        const result = await this.handle(topic, partition, delivery);
        await heartbeat();
        return result;
      },
    );
    if (finished.some((f) => f === ABANDONED) || isStale()) return false;
    const last = due[due.length - 1].message.offset;
    try {
      await this.requireConsumer().commitOffsets([
        { topic, partition, offset: (BigInt(last) + 1n).toString() },
      ]);
    } catch (error) {
      this.logger.error(
        { topic, partition, offset: last, error: error instanceof Error ? error.message : String(error) },
        'could not commit handled messages; they will be delivered again',
      );
      throw error;
    }
    resolveOffset(last);
    for (const f of finished as Finished[]) {
      const { route, forwardedTo, ...rest } = f;
      this.settled(route, { ...rest, topic, partition, forwardedTo });
    }
    return true;
  }

  /** Runs the handler on one message and hands its outcome off; throws (to kafkajs) if the hand-off fails. */
  private async handle(
    topic: string,
    partition: number,
    { message, envelope }: Delivery,
  ): Promise<Finished | typeof ABANDONED> {
    const key = message.key?.toString('utf8') ?? '';
    const delivered: ForwardedMessage = {
      key,
      value: message.value ?? Buffer.alloc(0),
      headers: envelope.appHeaders,
      topic,
      partition,
      offset: message.offset,
      attempt: envelope.attempt,
      firstSeenMs: envelope.firstSeenMs,
      ...(envelope.lastError !== undefined ? { lastError: envelope.lastError } : {}),
    };
    const verdict = await this.runHandler(delivered);
    if (verdict === ABANDONED) return ABANDONED;

    const route = routeVerdict(verdict, envelope.attempt, this.schedule, this.now());
    const origin = { topic, partition, offset: message.offset };
    try {
      const forwardedTo = await this.handOff(route, message.key, delivered.value, envelope, origin);
      return { route, key, offset: message.offset, attempt: envelope.attempt, forwardedTo };
    } catch (error) {
      // Thrown on to kafkajs, which fetches the message again: it is handled again rather than lost.
      this.logger.error(
        {
          ...origin,
          attempt: envelope.attempt,
          route: route.kind,
          error: error instanceof Error ? error.message : String(error),
        },
        'could not hand off a message; it will be delivered again',
      );
      throw error;
    }
  }

  private envelopeOf(message: KafkaMessage, tierAttempt: number): Envelope {
    const timestampMs = Number(message.timestamp);
    return readEnvelope(
      headersToStrings(message.headers),
      tierAttempt,
      Number.isSafeInteger(timestampMs) && timestampMs > 0 ? timestampMs : this.now(),
    );
  }

  private accepting(): boolean {
    return this.state === 'running' || this.state === 'starting';
  }

  private async runHandler(message: ForwardedMessage): Promise<Verdict | typeof ABANDONED> {
    // Promise.resolve().then(...) also turns a handler that throws synchronously into a retry.
    const verdict = Promise.resolve()
      .then(() => this.options.handler(message))
      .then(verdictOf, verdictOfError);
    return Promise.race([verdict, this.abandoned]);
  }

  /** Produces the retry or dead-letter copy; resolves once the broker has it. */
  private async handOff(
    route: Route,
    key: Buffer | null,
    value: Buffer,
    envelope: Envelope,
    origin: { readonly topic: string; readonly partition: number; readonly offset: string },
  ): Promise<string | undefined> {
    switch (route.kind) {
      case 'commit':
        return undefined;
      case 'retry':
        await this.producer.send(route.topic, key, value, retryHeaders(envelope, route));
        return route.topic;
      case 'dead': {
        const { dlq } = this.options.topics;
        await this.producer.send(dlq, key, value, deadLetterHeaders(envelope, origin, route));
        this.logger.warn(
          { ...origin, attempt: envelope.attempt, reason: route.reason },
          'message moved to the dead-letter topic',
        );
        return dlq;
      }
    }
  }

  private settled(
    route: Route,
    event: {
      key: string;
      topic: string;
      partition: number;
      offset: string;
      attempt: number;
      forwardedTo: string | undefined;
    },
  ): void {
    const { forwardedTo, ...rest } = event;
    const common = { ...rest, ...(forwardedTo !== undefined ? { forwardedTo } : {}) };
    switch (route.kind) {
      case 'commit':
        this.options.onSettled?.({ outcome: 'done', ...common });
        return;
      case 'retry':
        this.options.onSettled?.({ outcome: 'retried', ...common, reason: route.lastError });
        return;
      case 'dead':
        this.options.onSettled?.({ outcome: 'dead', ...common, reason: route.reason });
        return;
    }
  }

  /**
   * Holds a partition until its head copy is due. The seek puts the fetch position back on that copy
   * (kafkajs would otherwise move past it when eachMessage returns) without committing anything.
   */
  private deferPartition(
    consumer: Consumer,
    topic: string,
    partition: number,
    offset: string,
    waitMs: number,
  ): void {
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    const id = `${topic}\u0000${partition}`;
    clearTimeout(this.resumeTimers.get(id));
    const timer = setTimeout(() => {
      this.resumeTimers.delete(id);
      if (this.state === 'running') consumer.resume([{ topic, partitions: [partition] }]);
    }, waitMs);
    timer.unref();
    this.resumeTimers.set(id, timer);
  }

  private requireConsumer(): Consumer {
    if (this.consumer === undefined) throw new Error('RetryingConsumer is not started');
    return this.consumer;
  }
}
