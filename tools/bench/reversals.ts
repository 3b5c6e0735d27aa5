/**
 * `npm run bench:reversals`: how fast cancel orders drain from Kafka to Alipay, and how long a backlog
 * takes to clear after an Alipay outage. Real parts: a Kafka broker, MariaDB, and the Alipay sandbox as a
 * process of its own (dist/tools/sandbox.js), so its signing does not share the workers' event loop.
 *
 * 1. Baseline: the same CancelWorker attempts called directly (no Kafka), as many at a time as the
 *    consumer group keeps in flight (`--concurrency` x `--per-partition`).
 * 2. Relay: the outbox relay moving `--drain` CANCEL rows to the reversals topic.
 * 3. Drain: the consumer group (the toolkit's RetryingConsumer, `--concurrency` partitions at once,
 *    `--per-partition` messages of each at once) taking
 *    those records to the sandbox's cancel; figure = records per second, ratio = against the baseline.
 * 4. Outage: the sandbox refuses every connection (refuseAll) for `--outage-ms` (default 60 s, seed 004's
 *    scenario) while `--backlog` orders (default 10,000) arrive; the workers retry them through the retry
 *    topics on the default seed-004 policy (7.5 s for 60 s, then 60 s, 120 s ...). Figure = the time from
 *    the sandbox's return until every order is cancelled.
 *
 * Options: --drain N (5000), --baseline N (1000), --backlog N (10000), --outage-ms N (60000, or
 * BENCH_OUTAGE_MS), --concurrency N (8), --per-partition N (8), --partitions N (8).
 * Environment: KAFKA_BROKERS (otherwise a private broker is started with docker/kafka-local/kafka.sh on free
 * ports and stopped at the end), BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/test; a temporary
 * database is created and dropped).
 * The default run takes about 3-4 minutes, most of it the 60 s outage and the policy's 60 s wait after it;
 * `--outage-ms 5000 --backlog 2000` is a quick run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { IsNull, type DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { cancelOrderFor } from '../../src/payments/application/cancel-order';
import { createPaymentsEngine } from '../../src/payments/application/payments-engine';
import { paymentsConfig } from '../../src/payments/application/payments.config';
import { systemClock } from '../../src/payments/application/system-time';
import { newRrn } from '../../src/payments/domain/identifiers';
import type { Payment } from '../../src/payments/domain/payment';
import { newPaymentRequestId } from '../../src/payments/domain/payment-request-id';
import { openDatabase } from '../../src/persistence/data-source';
import { OutboxMessageEntity } from '../../src/persistence/entities';
import { MerchantCatalog } from '../../src/persistence/merchant-catalog';
import { PAYMENTS } from '../../src/persistence/repositories/record-tables';
import { SqlPaymentRepository } from '../../src/persistence/repositories/sql-payment.repository';
import { SqlRefundRepository } from '../../src/persistence/repositories/sql-refund.repository';
import { openSqlSession } from '../../src/persistence/sql';
import { SecretBox } from '../../src/persistence/secret-box';
import { seedDemoData } from '../../src/persistence/seed/demo-data';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { CancelWorker } from '../../src/reversals/application/cancel-worker';
import { OutboxRelay } from '../../src/reversals/application/outbox-relay';
import { silentReversalsLog } from '../../src/reversals/application/ports/reversals-log.port';
import { cancelRetryPolicy } from '../../src/reversals/domain/retry-policy';
import { cancelHandler } from '../../src/reversals/infrastructure/forwarding/cancel-handler';
import { RELAYED_KINDS } from '../../src/reversals/infrastructure/forwarding/forwarding-runtime';
import { KafkaCancelSink } from '../../src/reversals/infrastructure/forwarding/kafka-cancel-sink';
import {
  allTopicNames,
  createKafka,
  ensureTopics,
  ForwardingProducer,
  forwardingTopics,
  RetryingConsumer,
} from '../../src/reversals/infrastructure/kafka';
import { TypeOrmManualInterventions } from '../../src/reversals/infrastructure/typeorm/typeorm-manual-interventions';
import { TypeOrmOutboxStore } from '../../src/reversals/infrastructure/typeorm/typeorm-outbox.store';
import { argValue, fmt } from './bench-args';

const DRAIN = Number(argValue('drain', '5000'));
const BASELINE = Number(argValue('baseline', '1000'));
const BACKLOG = Number(argValue('backlog', '10000'));
const OUTAGE_MS = Number(argValue('outage-ms', process.env.BENCH_OUTAGE_MS ?? '60000'));
const CONCURRENCY = Number(argValue('concurrency', '8'));
const PER_PARTITION = Number(argValue('per-partition', '8'));
const PARTITIONS = Number(argValue('partitions', '8'));
const GOAL_PER_S = 500;
/** The repository root: the nearest folder above this file holding docker/kafka-local (dist/ or a copy of it). */
function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'docker', 'kafka-local', 'kafka.sh'))) return dir;
  }
  return resolve(__dirname, '../../..');
}
const REPO = repoRoot();
const CHANNEL = argValue('channel', 'ams');
const DEMO_MERCHANTS: Record<string, string> = {
  ams: 'MERCHANT0000001',
  openapi: 'MERCHANT0000002',
  mapi: 'MERCHANT0000003',
};
const MERCHANT = DEMO_MERCHANTS[CHANNEL] ?? 'MERCHANT0000001';

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A broker of our own when KAFKA_BROKERS is not given: kafka.sh on free ports and a temporary data dir. */
async function broker(): Promise<{ brokers: string; stop(): Promise<void> }> {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS, stop: async () => undefined };
  const dataDir = mkdtempSync(join(os.tmpdir(), 'bench-kafka-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_DATA_DIR: dataDir,
  };
  const kafkaSh = (command: string): Promise<void> =>
    new Promise((done, fail) =>
      execFile(
        'bash',
        [join(REPO, 'docker/kafka-local/kafka.sh'), command],
        { env, timeout: 120_000 },
        (error, _out, stderr) => (error ? fail(new Error(`kafka.sh ${command}: ${stderr}`)) : done()),
      ),
    );
  say(`starting a private Kafka broker on 127.0.0.1:${env.KAFKA_PORT} (KAFKA_BROKERS not set)`);
  await kafkaSh('up').catch(async (error: unknown) => {
    await kafkaSh('down').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    brokers: `127.0.0.1:${env.KAFKA_PORT}`,
    stop: async () => {
      await kafkaSh('down').catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The sandbox as a separate process (the built tools/sandbox.js), on a free port. */
async function sandboxProcess(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'sandbox.js')], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/sandbox/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await sleep(100);
  }
  child.kill();
  throw new Error('the sandbox process did not start');
}

async function setFaults(sandboxUrl: string, faults: object | undefined): Promise<void> {
  await fetch(`${sandboxUrl}/sandbox/faults`, {
    method: faults ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(faults ? { body: JSON.stringify(faults) } : {}),
  });
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

interface Fixture {
  dataSource: DataSource;
  catalog: MerchantCatalog;
  worker: CancelWorker;
}

let stanCounter = 0;

/**
 * `count` payments paid at the sandbox and stored as CANCEL_REQUESTED with their cancel order in the
 * outbox. `beforeStore` runs between the two (the outage starts there, before the relay can see a row).
 */
async function cancelRequestedPayments(
  f: Fixture,
  count: number,
  beforeStore?: () => Promise<void>,
): Promise<Payment[]> {
  const route = await f.catalog.route(MERCHANT, 'TERM0001');
  if (!route) throw new Error(`${MERCHANT} is not seeded`);
  const now = new Date();
  const codeDigits = CHANNEL === 'ams' ? 13 : 11; // 18 digits for AMS, 16 for the others' 16-24
  const payments: Payment[] = Array.from({ length: count }, (_, i) => {
    stanCounter += 1;
    const terminalId = `TERM${String(1 + (stanCounter % 10)).padStart(4, '0')}`;
    const stan = String(stanCounter % 1_000_000).padStart(6, '0');
    return {
      id: randomUUID(),
      paymentRequestId: newPaymentRequestId({ at: now, terminalId, amountMinor: 1_000 + i, stan }),
      terminalId,
      merchantId: MERCHANT,
      stan,
      localDateTime: `0101${String(Math.floor(stanCounter / 1_000_000)).padStart(6, '0')}`,
      rrn: newRrn(now),
      requestMti: '0200',
      processingCode: '000000',
      amountMinor: 1_000 + i,
      currencyNumeric: '840',
      paymentCodeMasked: '28************0000',
      paymentCodeHash: randomBytes(32).toString('hex'),
      channel: route.merchant.channel,
      state: 'CANCEL_REQUESTED',
      delivery: 'undelivered',
      cancelReason: 'terminal-reversal',
      manualIntervention: false,
      refundedMinor: 0,
      reservedRefundMinor: 0,
      createdAt: now,
      updatedAt: now,
      merchantDeadlineAt: now,
      gatewayDeadlineAt: now,
      version: 2,
    };
  });
  const context = {
    merchantId: MERCHANT,
    merchantName: 'bench',
    mcc: '5812',
    storeId: 'S1',
    storeName: 'bench',
    terminalId: 'TERM0001',
  };
  await pool(payments, 32, async (p) => {
    const paid = await route.channel.pay({
      paymentRequestId: p.paymentRequestId,
      paymentCode: `28${String(randomInt(0, 10 ** codeDigits)).padStart(codeDigits, '0')}000`,
      amount: { amountMinor: p.amountMinor, currency: 'USD' },
      subject: 'bench',
      merchant: context,
      terminalRequestTime: now,
    });
    if (paid.kind !== 'success') throw new Error(`sandbox pay answered ${paid.kind}`);
  });
  await beforeStore?.();
  for (let i = 0; i < payments.length; i += 500) {
    const chunk = payments.slice(i, i + 500);
    await f.dataSource.transaction(async (m) => {
      for (const p of chunk) {
        const insert = PAYMENTS.insert(p);
        await m.query(insert.sql, [...insert.params]);
      }
      await m.insert(
        OutboxMessageEntity,
        chunk.map((p) => {
          const order = cancelOrderFor(p, 'terminal-reversal', now);
          return {
            kind: order.kind,
            messageKey: order.key,
            payload: JSON.stringify(order.payload),
            createdAt: now,
            relayedAt: null,
          };
        }),
      );
    });
  }
  return payments;
}

/** Undone in reverse order at the end, whatever happened: nothing the bench started outlives it. */
type Cleanup = () => Promise<void>;

async function main(): Promise<void> {
  const cleanups: Cleanup[] = [];
  try {
    await run(cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function run(cleanups: Cleanup[]): Promise<void> {
  say(
    `bench:reversals on ${os.cpus().length} cores, node ${process.version}; ${CHANNEL} merchant ${MERCHANT}, ${CONCURRENCY} partitions at once x ${PER_PARTITION} messages each, ${PARTITIONS} partitions`,
  );
  const kafkaBroker = await broker();
  cleanups.push(() => kafkaBroker.stop());
  const sandbox = await sandboxProcess();
  cleanups.push(async () => void sandbox.child.kill('SIGTERM'));
  const adminUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const dbName = `bench_rev_${Date.now().toString(36)}`;
  const admin = await createConnection(adminUrl);
  cleanups.push(() => admin.end());
  await admin.query(`CREATE DATABASE \`${dbName}\``);
  cleanups.push(async () => void (await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``)));
  const appConfig = loadConfig({ DATABASE_URL: adminUrl.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}`) });
  const dataSource = await openDatabase(appConfig.database);
  cleanups.push(() => dataSource.destroy());
  const uow = new UnitOfWork(dataSource);
  const secrets = new SecretBox(appConfig.secrets.dataEncryptionKey);
  await seedDemoData(uow, secrets, 60_000);
  const catalog = new MerchantCatalog(uow, secrets, {
    sandboxUrl: sandbox.url,
    alipayCallTimeoutMs: appConfig.timeouts.alipayCallTimeoutMs,
  });
  const session = openSqlSession(dataSource, uow);
  const payments = new SqlPaymentRepository(session);
  const engine = createPaymentsEngine({
    payments,
    refunds: new SqlRefundRepository(session),
    merchants: catalog,
    manualInterventions: new TypeOrmManualInterventions(uow),
    config: paymentsConfig({ paymentCodeHashKey: appConfig.secrets.paymentCodeHashKey }),
  });
  cleanups.push(async () => engine.dispose());
  // The production default: seed 004's 60 s at 7.5 s, then 60 s, 120 s, 300 s, 600 s, 30 min, 1 h.
  const settings = appConfig.reversals;
  const policy = cancelRetryPolicy({
    intervalMs: settings.cancelRetryIntervalMs,
    windowMs: settings.cancelRetryWindowMs,
    backoffMs: settings.cancelBackoffMs,
  });
  const worker = new CancelWorker(
    payments,
    engine.cancellation,
    catalog,
    systemClock,
    silentReversalsLog,
    {
      policy,
      absentFinalAfterMs: settings.cancelRetryWindowMs,
    },
  );
  const fixture: Fixture = { dataSource, catalog, worker };

  const prefix = `bench.${Date.now().toString(36)}`;
  const kafka = createKafka({ brokers: kafkaBroker.brokers.split(','), clientId: 'bench-reversals' });
  const topics = forwardingTopics(`${prefix}.reversals`, policy.delaysMs.length);
  const producer = new ForwardingProducer(kafka);
  cleanups.push(async () => {
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: allTopicNames(topics) }).finally(() => kafkaAdmin.disconnect());
  });
  cleanups.push(() => producer.disconnect());
  await ensureTopics(kafka, allTopicNames(topics), PARTITIONS);
  await producer.connect();

  // 1. Baseline: the worker alone.
  let started = performance.now();
  const direct = await cancelRequestedPayments(fixture, BASELINE);
  say(
    `setup: ${fmt(BASELINE)} payments paid at the sandbox and stored in ${fmt((performance.now() - started) / 1000, 1)} s`,
  );
  await dataSource
    .getRepository(OutboxMessageEntity)
    .update({ relayedAt: IsNull() }, { relayedAt: new Date() }); // not for the relay
  started = performance.now();
  await pool(direct, CONCURRENCY * PER_PARTITION, async (p) => {
    const order = cancelOrderFor(p, 'terminal-reversal', new Date());
    const result = await worker.attempt(order.key, JSON.stringify(order.payload), 1);
    if (result.kind !== 'done') throw new Error(`baseline attempt: ${result.kind}`);
  });
  const baselinePerS = BASELINE / ((performance.now() - started) / 1000);
  say(`baseline  worker called directly (no Kafka):  ${fmt(baselinePerS)} cancels/s`);

  // 2. Relay: outbox rows to the topic.
  const drainSet = await cancelRequestedPayments(fixture, DRAIN);
  const outbox = new TypeOrmOutboxStore(uow);
  const relay = new OutboxRelay(
    outbox,
    new KafkaCancelSink(producer, topics.main, async () => undefined),
    systemClock,
    silentReversalsLog,
    {
      kinds: RELAYED_KINDS,
      batchSize: 500,
      pollIntervalMs: 1_000,
    },
  );
  started = performance.now();
  relay.start();
  cleanups.push(() => relay.stop());
  while (relay.stats().relayed < DRAIN) await sleep(20);
  const relayPerS = DRAIN / ((performance.now() - started) / 1000);
  say(`relay     outbox -> topic:                    ${fmt(relayPerS)} rows/s`);

  // 3. Drain: topic -> workers -> sandbox.
  const drainKeys = new Set(drainSet.map((p) => p.paymentRequestId));
  let backlogKeys = new Set<string>();
  const done = new Set<string>();
  let drainDone = 0;
  let backlogDone = 0;
  let firstDoneAt = 0;
  const consumer = new RetryingConsumer({
    kafka,
    groupId: `${prefix}.reversal-workers`,
    topics,
    handler: cancelHandler(worker),
    retryDelaysMs: policy.delaysMs,
    producer,
    partitions: PARTITIONS,
    partitionsConsumedConcurrently: CONCURRENCY,
    messagesInFlightPerPartition: PER_PARTITION,
    onSettled: (event) => {
      if (event.outcome !== 'done' || done.has(event.key)) return;
      if (done.size === 0) firstDoneAt = performance.now();
      done.add(event.key);
      if (drainKeys.has(event.key)) drainDone += 1;
      else if (backlogKeys.has(event.key)) backlogDone += 1;
    },
  });
  cleanups.push(() => consumer.stop());
  await consumer.start();
  while (drainDone < DRAIN) await sleep(20);
  const drainPerS = DRAIN / ((performance.now() - firstDoneAt) / 1000);
  say(
    `drain     topic -> workers -> sandbox cancel: ${fmt(drainPerS)} cancels/s  (${fmt(drainPerS / baselinePerS, 2)}x baseline; goal >= ${GOAL_PER_S}/s: ${drainPerS >= GOAL_PER_S ? 'met' : 'NOT met'})`,
  );

  // 4. Outage: a backlog built while the sandbox refuses everything.
  let outageStartedAt = 0;
  const backlog = await cancelRequestedPayments(fixture, BACKLOG, async () => {
    await setFaults(sandbox.url, { refuseAll: true });
    outageStartedAt = performance.now();
  });
  backlogKeys = new Set(backlog.map((p) => p.paymentRequestId));
  relay.wake();
  say(
    `outage    sandbox refusing every call for ${fmt(OUTAGE_MS / 1000)} s with ${fmt(BACKLOG)} cancel orders arriving ...`,
  );
  await sleep(Math.max(0, outageStartedAt + OUTAGE_MS - performance.now()));
  const doneDuringOutage = backlogDone;
  await setFaults(sandbox.url, undefined);
  const recoveredAt = performance.now();
  let lastReport = recoveredAt;
  while (backlogDone < BACKLOG) {
    await sleep(100);
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      say(
        `          ... ${fmt(backlogDone)} of ${fmt(BACKLOG)} cancelled ${fmt((lastReport - recoveredAt) / 1000)} s after the sandbox returned`,
      );
    }
  }
  const clearS = (performance.now() - recoveredAt) / 1000;
  say(
    `outage    backlog of ${fmt(BACKLOG)} cleared ${fmt(clearS, 1)} s after the sandbox returned (${fmt(doneDuringOutage)} done during the outage)`,
  );
  const firstBackoffMs =
    policy.delaysMs[Math.floor(settings.cancelRetryWindowMs / settings.cancelRetryIntervalMs)] ?? 0;
  say(
    `          the first retry wait past the 60 s seed window is ${fmt(firstBackoffMs / 1000)} s; the rest is work: ${fmt(BACKLOG / clearS)} cancels/s averaged over the clearing`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:reversals failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
