import { ConfigError } from './config-error';
import { loadConfig } from './app-config';
import { paymentsConfigFrom } from '../payments/delivery/payments-config';

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment', () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe('sqlite');
    expect(config.iso.listeners).toEqual([
      { dialect: 'ascii', host: '0.0.0.0', port: 8583 },
      { dialect: 'nac-bcd', host: '0.0.0.0', port: 8584 },
    ]);
    expect(config.http.port).toBe(3000);
    expect(config.timeouts).toMatchObject({ merchantTimeoutMs: 60_000, gatewayTimeoutMs: 75_000 });
    expect(config.kafka).toBeUndefined();
    expect(config.sandbox.mode).toBe('embedded');
  });

  it('admits 10,000 idle terminals plus a busy few by default', () => {
    expect(loadConfig({}).iso.maxConnections).toBeGreaterThanOrEqual(10_000 + 1_000);
  });

  it('uses MySQL when DATABASE_URL names one', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' });
    expect(config.database).toMatchObject({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
  });

  it('refuses a gateway timeout that is not longer than the merchant timeout, naming both settings', () => {
    expect(() => loadConfig({ MERCHANT_TIMEOUT_MS: '60000', GATEWAY_TIMEOUT_MS: '60000' })).toThrow(
      /GATEWAY_TIMEOUT_MS \(60000\) must be longer than MERCHANT_TIMEOUT_MS/,
    );
  });

  it('takes the reply margin from REPLY_MARGIN_MS (250 ms by default) and hands it to the payments engine', () => {
    expect(loadConfig({}).timeouts.replyMarginMs).toBe(250);
    const config = loadConfig({ REPLY_MARGIN_MS: '600' });
    expect(paymentsConfigFrom(config).replyMarginMs).toBe(600);
  });

  it.each([
    [{ REPLY_MARGIN_MS: '5' }, /REPLY_MARGIN_MS/],
    [{ REPLY_MARGIN_MS: '20000' }, /REPLY_MARGIN_MS/],
    [{ REPLY_MARGIN_MS: '3000', MERCHANT_TIMEOUT_MS: '4000', GATEWAY_TIMEOUT_MS: '5000' }, /REPLY_MARGIN_MS \(3000\) must be at most half of MERCHANT_TIMEOUT_MS/],
  ])('refuses a reply margin out of bounds: %j', (env, problem) => {
    expect(() => loadConfig(env)).toThrow(problem);
  });

  it('lists every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        HTTP_PORT: 'eighty',
        ISO_ASCII_PORT: '70000',
        LOG_LEVEL: 'loud',
        KAFKA_BROKERS: 'nohostport',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/HTTP_PORT must be an integer/);
    expect(problems).toMatch(/ISO_ASCII_PORT must be <= 65535/);
    expect(problems).toMatch(/LOG_LEVEL must be one of/);
    expect(problems).toMatch(/KAFKA_BROKERS must be host:port/);
  });

  it('requires real secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENT_CODE_HASH_KEY is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', PAYMENT_CODE_HASH_KEY: 'abc' })).toThrow(
      /PAYMENT_CODE_HASH_KEY must be 64 hex characters/,
    );
  });

  it('rejects a malformed DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y' })).toThrow(
      /DATABASE_URL must look like mysql:/,
    );
  });

  it('defaults the cancel retry policy to seed 004 (every 7.5 s for 60 s), then widening waits', () => {
    const { reversals } = loadConfig({});
    expect(reversals).toMatchObject({ cancelRetryIntervalMs: 7_500, cancelRetryWindowMs: 60_000 });
    expect(reversals.cancelBackoffMs).toEqual([60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000]);
  });

  it('takes a test-sized cancel retry policy, or none after the 60 s phase', () => {
    const { reversals } = loadConfig({
      CANCEL_RETRY_INTERVAL_MS: '50',
      CANCEL_RETRY_WINDOW_MS: '150',
      CANCEL_BACKOFF_MS: '100, 200',
      REVERSAL_WORKER_CONCURRENCY: '4',
    });
    expect(reversals).toMatchObject({
      cancelRetryIntervalMs: 50,
      cancelRetryWindowMs: 150,
      workerConcurrency: 4,
    });
    expect(reversals.cancelBackoffMs).toEqual([100, 200]);
    expect(loadConfig({ CANCEL_BACKOFF_MS: 'none' }).reversals.cancelBackoffMs).toEqual([]);
  });

  it('keeps "no such payment" from confirming a cancel before the pay call can have landed', () => {
    expect(loadConfig({}).reversals.cancelAbsentFinalAfterMs).toBe(60_000);
    // A zero retry window no longer makes "no such payment" final at once: the floor is the call timeout.
    expect(
      loadConfig({ CANCEL_RETRY_WINDOW_MS: '0', ALIPAY_CALL_TIMEOUT_MS: '4000' }).reversals
        .cancelAbsentFinalAfterMs,
    ).toBe(4_000);
    expect(loadConfig({ CANCEL_ABSENT_FINAL_AFTER_MS: '90000' }).reversals.cancelAbsentFinalAfterMs).toBe(
      90_000,
    );
    expect(() => loadConfig({ CANCEL_ABSENT_FINAL_AFTER_MS: '0' })).toThrow(
      /CANCEL_ABSENT_FINAL_AFTER_MS \(0\) must be at least ALIPAY_CALL_TIMEOUT_MS \(5000\)/,
    );
  });

  it('names bad reversal settings', () => {
    expect(() => loadConfig({ CANCEL_BACKOFF_MS: '100,soon' })).toThrow(
      /CANCEL_BACKOFF_MS must be a comma-separated list/,
    );
    expect(() => loadConfig({ CANCEL_RETRY_INTERVAL_MS: '0' })).toThrow(
      /CANCEL_RETRY_INTERVAL_MS must be >= 1/,
    );
    expect(() => loadConfig({ OUTBOX_BATCH_SIZE: '100000' })).toThrow(/OUTBOX_BATCH_SIZE must be <= 5000/);
    expect(() => loadConfig({ REVERSAL_SESSION_TIMEOUT_MS: '1000' })).toThrow(
      /REVERSAL_SESSION_TIMEOUT_MS must be >= 6000/,
    );
  });
});
