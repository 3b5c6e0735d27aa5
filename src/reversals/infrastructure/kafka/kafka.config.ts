import type { ConnectionOptions } from 'node:tls';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  type LogEntry,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';
import { KafkaConfigError } from './kafka.errors';
import type { ForwardingLogger } from './forwarding-logger';
import { skipIdleRequestQueueChecks } from './kafkajs-idle-timers';

/** Where the brokers are and how this process names itself to them. */
export interface KafkaConnectionConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers (node tls options: PEM ca, cert, key). */
  readonly ssl?: ConnectionOptions;
  readonly sasl?: SASLOptions;
}

/** The main topic, its retry topics (one per delay step, in order) and the dead-letter topic. */
export interface ForwardingTopics {
  readonly main: string;
  readonly retries: readonly string[];
  readonly dlq: string;
}

export const DEFAULT_TOPIC_BASE = 'switch.reversals';

/**
 * Waits before the 2nd, 3rd … attempt. Seed 004 retries a cancel every 5-10 s for about a minute and then
 * asks for a human; the queue keeps trying for about nine minutes in widening steps (a short Alipay or
 * network outage heals inside them) before the message lands in the dead-letter topic for ops.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  5_000, 10_000, 30_000, 60_000, 120_000, 300_000,
]);

export const DEFAULT_TOPIC_PARTITIONS = 3;

// Kafka's own rule for topic names (kafka.common.internals.Topic): legal characters and at most 249 of them.
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^[^:\s,]+:\d{1,5}$/;

/** "host:port,host:port" to a list; every entry must name a port. */
export function parseBrokerList(list: string): string[] {
  const brokers = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (brokers.length === 0) throw new KafkaConfigError('the broker list is empty');
  const bad = brokers.filter((broker) => !BROKER.test(broker));
  if (bad.length > 0) throw new KafkaConfigError(`brokers must be host:port, got ${bad.join(', ')}`);
  return brokers;
}

/** KAFKA_BROKERS (required) and KAFKA_CLIENT_ID. */
export function kafkaConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  defaultClientId = 'alipay-switch',
): KafkaConnectionConfig {
  const list = env.KAFKA_BROKERS;
  if (list === undefined || list.trim() === '') {
    throw new KafkaConfigError(
      'KAFKA_BROKERS is not set (e.g. 127.0.0.1:9092; `npm run kafka:up` starts a local broker)',
    );
  }
  return { brokers: parseBrokerList(list), clientId: env.KAFKA_CLIENT_ID ?? defaultClientId };
}

/** `switch.reversals` -> `switch.reversals.retry.1` … `.retry.N` and `switch.reversals.dlq`. */
export function forwardingTopics(base: string, retryCount: number): ForwardingTopics {
  if (!Number.isInteger(retryCount) || retryCount < 0) {
    throw new KafkaConfigError(`the number of retry topics must be a whole number >= 0, got ${retryCount}`);
  }
  const topics: ForwardingTopics = {
    main: base,
    retries: Array.from({ length: retryCount }, (_, index) => `${base}.retry.${index + 1}`),
    dlq: `${base}.dlq`,
  };
  for (const name of [topics.main, ...topics.retries, topics.dlq]) {
    if (!TOPIC_NAME.test(name)) throw new KafkaConfigError(`"${name}" is not a legal Kafka topic name`);
  }
  return topics;
}

/** Each delay must be a whole number of milliseconds, at least 0; there may be none (no retry topics). */
export function validateRetryDelays(delaysMs: readonly number[]): readonly number[] {
  const bad = delaysMs.filter((delay) => !Number.isSafeInteger(delay) || delay < 0);
  if (bad.length > 0)
    throw new KafkaConfigError(`retry delays must be whole milliseconds >= 0, got ${bad.join(', ')}`);
  return Object.freeze([...delaysMs]);
}

export interface CreateKafkaOptions {
  /** Where kafkajs's own warnings and errors go; info and debug are dropped. Silent when absent. */
  readonly logger?: ForwardingLogger;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Retries of the client's own requests (metadata, group membership, fetches). */
  readonly retry?: RetryOptions;
}

/** One kafkajs client per process; producers, consumers and admins are made from it. */
export function createKafka(config: KafkaConnectionConfig, options: CreateKafkaOptions = {}): Kafka {
  skipIdleRequestQueueChecks();
  const { logger } = options;
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    ssl: config.ssl,
    sasl: config.sasl,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: options.retry,
    logLevel: logger === undefined ? KafkaLogLevel.NOTHING : KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (logger === undefined) return;
      const { message, ...fields } = entry.log;
      const line = { kafkajs: entry.namespace, ...fields };
      if (entry.level === KafkaLogLevel.ERROR) logger.error(line, `kafkajs: ${message}`);
      else if (entry.level === KafkaLogLevel.WARN) logger.warn(line, `kafkajs: ${message}`);
    },
  });
}
