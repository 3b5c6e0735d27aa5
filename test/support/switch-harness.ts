import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { startSwitch, RunningSwitch } from '../../src/bootstrap';
import { createLogger } from '../../src/logging/logger';
import type { PaymentsEngine } from '../../src/payments/application/payments-engine';
import { PAYMENTS_ENGINE } from '../../src/payments/application/ports';
import { createSqliteTestDatabase, createMysqlTestDatabase, TestDatabase } from './databases';

export interface SwitchUnderTest {
  running: RunningSwitch;
  config: AppConfig;
  db: TestDatabase;
  port(dialect: 'ascii' | 'nac-bcd'): number;
  sandboxUrl: string;
  logs: string[];
  stop(): Promise<void>;
  /** This switch's INSTANCE_ID (config.instance.id). */
  instanceId: string;
  /** The payments engine of this switch (its timers, ownership, resume). */
  engine(): PaymentsEngine;
  /**
   * A hung instance, as far as the others can tell: its lease is no longer renewed (nor released), while its
   * timers, listeners and sockets keep running, so what it does once taken over can be watched (fencing).
   */
  stopRenewingLease(): Promise<void>;
  /**
   * An instance that died without a clean stop: lease neither renewed nor released, timers stopped, listeners
   * and terminal sockets closed. The database pool stays open until stop() (which then releases nothing of use).
   */
  halt(): Promise<void>;
}

export interface TestSwitchOptions {
  /**
   * Another switch's database: this switch runs on it too (several instances on one database) and its
   * stop() leaves the database in place; whoever created it drops it.
   */
  sharedDatabase?: TestDatabase;
}

/** Environment for a switch on ephemeral ports with the embedded sandbox and short, test-sized timers. */
export function testEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    // Each switch under test gets its own topics: switches on different databases must never take each
    // other's cancel orders when they share the test broker.
    KAFKA_TOPIC_PREFIX: `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
    REVERSAL_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: 'info',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    NOTIFY_HTTP_PORT: '0',
    PAY_API_PORT: '0',
    // The tests' webhook receivers listen on 127.0.0.1, which a deployed switch refuses (webhook-targets.ts).
    PAY_API_WEBHOOK_ALLOW_PRIVATE: 'true',
    ISO_HOST: '127.0.0.1',
    ISO_ASCII_PORT: '0',
    ISO_NAC_PORT: '0',
    SANDBOX_PORT: '0',
    MERCHANT_TIMEOUT_MS: '4000',
    GATEWAY_TIMEOUT_MS: '6000',
    ALIPAY_CALL_TIMEOUT_MS: '500',
    AMS_INQUIRY_INTERVAL_MS: '150',
    OPENAPI_INQUIRY_INTERVAL_MS: '150',
    MAPI_INQUIRY_INTERVAL_MS: '150',
    MAPI_FIRST_INQUIRY_MS: '150',
    SHUTDOWN_GRACE_MS: '2000',
    SANDBOX_NO_ANSWER_HOLD_MS: '1500',
    // Suites connect in beforeAll and send later; a loaded CI machine must not close them unproven.
    ISO_FIRST_FRAME_TIMEOUT_MS: '60000',
    // A restarted switch (a new INSTANCE_ID) takes its predecessor's payments over once this lapses.
    LEASE_MS: '3000',
    ...extra,
  };
}

/** Starts the real switch in this process on the chosen database; logs are captured for assertions. */
export async function startTestSwitch(
  database: 'mysql' | 'sqlite' = 'mysql',
  extraEnv: Record<string, string> = {},
  options: TestSwitchOptions = {},
): Promise<SwitchUnderTest> {
  const db = options.sharedDatabase ?? (database === 'mysql' ? await createMysqlTestDatabase() : createSqliteTestDatabase());
  const env = testEnvironment({
    ...(db.config.kind === 'mysql'
      ? { DATABASE_URL: db.config.url! }
      : { SQLITE_PATH: db.config.sqlitePath }),
    ...extraEnv,
  });
  const config = loadConfig(env);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const running = await startSwitch(config, createLogger(config.logLevel, sink));
  const engine = () => running.app.get<PaymentsEngine>(PAYMENTS_ENGINE);
  const stopRenewingLease = async () => {
    await engine().ownership?.stop(false);
  };
  return {
    instanceId: config.instance.id,
    engine,
    stopRenewingLease,
    halt: async () => {
      await stopRenewingLease();
      engine().dispose();
      await running.closeListeners();
    },
    running,
    config,
    db,
    logs,
    sandboxUrl: running.sandbox?.url ?? config.sandbox.url,
    port: (dialect) => {
      const bound = running.isoListeners().find((l) => l.dialect === dialect);
      if (!bound) throw new Error(`no ${dialect} listener`);
      return bound.port;
    },
    stop: async () => {
      await running.close();
      if (!options.sharedDatabase) await db.drop();
    },
  };
}
