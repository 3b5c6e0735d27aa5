import {
  createKafka,
  forwardingTopics,
  kafkaConfigFromEnv,
  parseBrokerList,
  validateRetryDelays,
} from './kafka.config';
import { KafkaConfigError } from './kafka.errors';

describe('parseBrokerList', () => {
  it.each([
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['a:1, b:2 ,', ['a:1', 'b:2']],
  ])('reads %p', (list, expected) => {
    expect(parseBrokerList(list)).toEqual(expected);
  });

  it.each(['', ' , ', 'nohost', 'a:1,b', 'a:port'])('rejects %p with a typed error', (list) => {
    expect(() => parseBrokerList(list)).toThrow(KafkaConfigError);
  });
});

describe('kafkaConfigFromEnv', () => {
  it('needs KAFKA_BROKERS and says how to get a broker', () => {
    expect(() => kafkaConfigFromEnv({})).toThrow(/KAFKA_BROKERS is not set.*kafka:up/);
  });

  it('reads brokers and the client id', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_CLIENT_ID: 'switch-a' })).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'switch-a',
    });
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092' }).clientId).toBe('alipay-switch');
  });
});

describe('forwardingTopics', () => {
  it('derives the retry and dead-letter topics from the base', () => {
    expect(forwardingTopics('switch.reversals', 3)).toEqual({
      main: 'switch.reversals',
      retries: ['switch.reversals.retry.1', 'switch.reversals.retry.2', 'switch.reversals.retry.3'],
      dlq: 'switch.reversals.dlq',
    });
    expect(forwardingTopics('t', 0).retries).toEqual([]);
  });

  it.each([
    ['bad name', 1],
    ['x'.repeat(245), 1],
    ['ok', -1],
    ['ok', 1.5],
  ])('rejects base %p with %p retries', (base, retries) => {
    expect(() => forwardingTopics(base, retries)).toThrow(KafkaConfigError);
  });
});

describe('validateRetryDelays', () => {
  it('keeps whole non-negative milliseconds', () => {
    expect(validateRetryDelays([0, 200, 5_000])).toEqual([0, 200, 5_000]);
  });

  it.each([[[-1]], [[1.5]], [[Number.NaN]], [[Infinity]]])('rejects %p', (delays) => {
    expect(() => validateRetryDelays(delays)).toThrow(KafkaConfigError);
  });
});

describe('createKafka', () => {
  it('routes kafkajs warnings and errors to the logger and drops the rest', () => {
    const lines: string[] = [];
    const record = (level: string) => (_fields: Record<string, unknown>, message: string) =>
      lines.push(`${level} ${message}`);
    const kafka = createKafka(
      { brokers: ['127.0.0.1:9'], clientId: 't' },
      { logger: { info: record('info'), warn: record('warn'), error: record('error') } },
    );
    const logger = kafka.logger();
    logger.info('chatter');
    logger.warn('careful');
    logger.error('broken');
    expect(lines).toEqual(['warn kafkajs: careful', 'error kafkajs: broken']);
  });
});
