import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_NOTIFY_RETRY_DELAYS_MS, RunningSandbox, signOnThreadPool, startSandbox } from '@switch/alipay';
import { DataSource } from 'typeorm';
import { configureAdminHttp } from './admin/admin-http';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { createLogger, Logger } from './logging/logger';
import { startH5Demo, type RunningH5Demo } from './merchant-apps/h5/h5-demo-server';
import type { H5Orders } from './merchant-apps/h5/h5-orders';
import { H5_ORDERS } from './merchant-apps/h5/h5.tokens';
import { NestPinoLogger } from './logging/nest-logger';
import { checkCredentialsAtStart, terminalMeters } from './operations/startup/operations-startup';
import { openDatabase } from './persistence/data-source';
import { refuseUnsafeProductionRows } from './persistence/production-guard';
import { SECRET_BOX, UNIT_OF_WORK } from './persistence/persistence.tokens';
import { SecretBox } from './persistence/secret-box';
import { seedDemoData } from './persistence/seed/demo-data';
import { UnitOfWork } from './persistence/unit-of-work';
import { BoundIsoListener, createIsoServerStrategy, IsoServerStrategy } from './terminal/iso-server.strategy';
import { TERMINAL_DIRECTORY, TerminalDirectory } from './terminal/terminal-directory.port';
import { PAYMENTS_ENGINE } from './payments/application/ports';
import type { PaymentsEngine } from './payments/application/payments-engine';

export interface RunningSwitch {
  readonly app: INestApplication;
  readonly dataSource: DataSource;
  readonly sandbox?: RunningSandbox;
  readonly httpUrl: string;
  /** The H5 ordering demo's server (H5_DEMO=true). */
  readonly h5Demo?: RunningH5Demo;
  isoListeners(): BoundIsoListener[];
  /** Graceful stop: in-flight terminal requests are answered, then listeners, HTTP and the database close. */
  close(): Promise<void>;
  /** Stops accepting terminals and closes their connections (after answering what is in flight); the rest keeps running. */
  closeListeners(): Promise<void>;
}

/**
 * Starts the whole switch in this process: database (migrated, seeded), the embedded Alipay sandbox
 * when configured, the REST API and one ISO 8583 listener per configured dialect. Used by main.ts and by
 * the end-to-end tests, so both run the same wiring.
 */
export async function startSwitch(config: AppConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningSwitch> {
  signOnThreadPool(config.signOnThreadPool);
  // What a start that fails half-way has opened is closed again, last first: a port already in use must
  // leave no database pool, timer or listener behind (a process that goes on, e.g. a test runner, waits on them).
  const opened: Array<() => Promise<unknown>> = [];
  try {
    return await start(config, logger, opened);
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function start(config: AppConfig, logger: Logger, opened: Array<() => Promise<unknown>>): Promise<RunningSwitch> {
  const dataSource = await openDatabase(config.database);
  opened.push(async () => dataSource.isInitialized && dataSource.destroy());
  if (config.env === 'production') await refuseUnsafeProductionRows(dataSource, config);
  const sandbox =
    config.sandbox.mode === 'embedded' ? await startSandbox({ host: '127.0.0.1', port: config.sandbox.port, noAnswerHoldMs: config.sandbox.noAnswerHoldMs, notifyRetryDelaysMs: DEFAULT_NOTIFY_RETRY_DELAYS_MS.map((ms) => Math.round(ms * config.notifications.sandboxTimeScale)) }) : undefined;
  if (sandbox) opened.push(() => sandbox.close());
  const sandboxUrl = sandbox?.url ?? config.sandbox.url;
  if (sandbox) logger.info({ url: sandbox.url }, 'embedded Alipay sandbox started');

  const app = await NestFactory.create(AppModule.register({ config, dataSource, sandboxUrl, logger, sandboxSftp: sandbox?.sftp }), {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  opened.push(() => app.close());
  if (config.seedDemoData) {
    await seedDemoData(app.get<UnitOfWork>(UNIT_OF_WORK), app.get<SecretBox>(SECRET_BOX), config.timeouts.merchantTimeoutMs);
  }
  await checkCredentialsAtStart(app, config, logger);
  const meters = terminalMeters(app);
  const iso: IsoServerStrategy = createIsoServerStrategy(
    { ...config.iso, listeners: [...config.iso.listeners] },
    app.get<TerminalDirectory>(TERMINAL_DIRECTORY),
    logger.child({ component: 'iso' }),
    meters.observer,
  );
  opened.push(() => iso.close());
  meters.watchConnections(() => iso.stats().connections);
  configureAdminHttp(app, iso);
  app.connectMicroservice({ strategy: iso }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  const address = (app.getHttpServer() as HttpServer).address() as { port: number };
  const httpUrl = `http://127.0.0.1:${address.port}`;
  const h5Demo = config.h5.demo
    ? await startH5Demo(app.get<H5Orders>(H5_ORDERS), config.h5.demo, config.h5.demo.apJsUrl ?? `${sandboxUrl}/sandbox/app/ap.js`, logger)
    : undefined;
  logger.info({ http: httpUrl, iso: iso.addresses(), database: config.database.kind }, 'switch started');

  let closing: Promise<void> | undefined;
  return {
    app,
    dataSource,
    sandbox,
    httpUrl,
    ...(h5Demo ? { h5Demo } : {}),
    isoListeners: () => iso.addresses(),
    closeListeners: () => iso.close(),
    close: () =>
      (closing ??= (async () => {
        // Stop accepting and answer what is in flight first (SHUTDOWN_GRACE_MS), then the engine stops its
        // timers and releases its lease, so another instance takes over what is left at once.
        await iso.close();
        await handOver(app, logger);
        await h5Demo?.close();
        await app.close();
        await sandbox?.close();
        if (dataSource.isInitialized) await dataSource.destroy();
      })()),
  };
}

/**
 * Once nothing is in flight: stop the engine's timers and release its lease before the slower parts
 * (Kafka consumers, HTTP) stop, so another instance takes the unfinished payments over at once.
 */
async function handOver(app: INestApplication, logger: Logger): Promise<void> {
  const engine = app.get<PaymentsEngine>(PAYMENTS_ENGINE);
  engine.dispose();
  await engine.ownership?.stop(true).catch((error: unknown) => logger.error({ err: error }, 'releasing the lease failed'));
}
