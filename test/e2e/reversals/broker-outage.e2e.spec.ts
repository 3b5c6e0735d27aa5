/**
 * Store and forward through a broker outage and a crash, on a broker of the test's own (127.0.0.1:19092,
 * controller 19093, a temporary data dir), MariaDB, and the sandbox as a server of its own:
 *
 * 1. The broker is stopped for 30 s (REVERSALS_OUTAGE_MS) in the middle of a stream of reversals:
 *    terminals still get every 0430 at once, and every cancel reaches Alipay after the broker returns.
 * 2. The switch (a child process) is killed with SIGKILL after answering a reversal it could not forward
 *    (broker down): after the broker and the switch are back, the cancel happens.
 */
import { startSandbox, type RunningSandbox } from '@switch/alipay';
import { Field } from '@switch/iso8583';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/app-config';
import { openDatabase } from '../../../src/persistence/data-source';
import { OutboxMessageEntity } from '../../../src/persistence/entities';
import { PosClient } from '../../../tools/pos/pos-client';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { eventually, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, testEnvironment, type SwitchUnderTest } from '../../support/switch-harness';
import { kafkaBrokers, uniquePrefix } from './kafka-kit';
import { OwnBroker } from './own-broker';
import { buy, paymentRow, reversalOf, type Purchased } from './reversal-helpers';
import { buildSwitch, startSwitchChild, type SwitchChild } from '../../support/switch-process';

const OUTAGE_MS = Number(process.env.REVERSALS_OUTAGE_MS ?? 30_000);
const RETRY_POLICY = {
  CANCEL_RETRY_INTERVAL_MS: '100',
  CANCEL_RETRY_WINDOW_MS: '300',
  CANCEL_BACKOFF_MS: '500,1000',
  OUTBOX_POLL_INTERVAL_MS: '500',
  // The broker's minimum: a worker lost to the outage or the SIGKILL frees its partitions soonest.
  REVERSAL_SESSION_TIMEOUT_MS: '6000',
};
// Connection errors are the point of these tests; REVERSALS_TEST_LOG_LEVEL=info shows them when debugging.
const LOG_LEVEL = process.env.REVERSALS_TEST_LOG_LEVEL ?? 'fatal';

jest.setTimeout(OUTAGE_MS + 150_000);

describe('store and forward across a broker outage and a crash (own broker, MariaDB)', () => {
  kafkaBrokers(); // the shared broker's absence means the integration environment is not up: fail the same clear way
  const broker = new OwnBroker(19092, 19093);
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    await broker.up();
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await sandbox?.close();
    await broker.remove();
  });

  const allCancelled = (dataSource: DataSource, purchases: readonly Purchased[], timeoutMs: number) =>
    eventually(
      async () => {
        for (const p of purchases) {
          if ((await paymentRow(dataSource, p.paymentRequestId))?.state !== 'CANCELLED') return undefined;
          if ((await sandboxPayment(sandbox.url, p.paymentRequestId))?.status !== 'CANCELLED')
            return undefined;
        }
        return true;
      },
      timeoutMs,
      250,
    );

  describe('the broker stops for 30 s during a stream of reversals', () => {
    let sut: SwitchUnderTest;
    let pos: PosClient;

    beforeAll(async () => {
      sut = await startTestSwitch('mysql', {
        KAFKA_BROKERS: broker.brokers,
        KAFKA_TOPIC_PREFIX: uniquePrefix('outage'),
        REVERSAL_TOPIC_PARTITIONS: '3',
        ALIPAY_SANDBOX: 'external',
        ALIPAY_SANDBOX_URL: sandbox.url,
        LOG_LEVEL,
        ...RETRY_POLICY,
      });
      pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
    });

    afterAll(async () => {
      await pos?.close();
      await sut?.stop();
    });

    it('answers every advice at once and forwards every cancel once the broker is back', async () => {
      const purchases: Purchased[] = [];
      for (let i = 0; i < 30; i++) purchases.push(await buy(pos, '000', i % 2 ? 'ams' : 'openapi', i));
      expect(purchases.every((p) => p.reply.get(Field.ResponseCode) === '00')).toBe(true);
      const reverse = async (p: Purchased) => {
        const answer = await pos.send(reversalOf(p));
        expect([answer.mti, answer.get(Field.ResponseCode)]).toEqual(['0430', '00']);
      };

      const before = purchases.slice(0, 5);
      for (const p of before) await reverse(p);
      await allCancelled(sut.running.dataSource, before, 30_000); // the path works before the outage

      await broker.down();
      const during = purchases.slice(5, 25);
      const outageEnds = Date.now() + OUTAGE_MS;
      for (const p of during) {
        await reverse(p);
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / during.length / 2));
      }
      // Nothing reached Alipay while the broker was away.
      for (const p of during)
        expect((await sandboxPayment(sandbox.url, p.paymentRequestId))?.status).toBe('SUCCESS');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
      await broker.up();

      const after = purchases.slice(25);
      for (const p of after) await reverse(p);
      await allCancelled(sut.running.dataSource, purchases, 60_000);
    });
  });

  describe('the switch is killed between answering a reversal and forwarding it', () => {
    let db: TestDatabase;
    let build: { main: string; remove(): void };
    let child: SwitchChild | undefined;
    let dataSource: DataSource;

    beforeAll(async () => {
      [db, build] = await Promise.all([createMysqlTestDatabase(), buildSwitch('reversals')]);
      dataSource = await openDatabase(db.config);
    });

    afterAll(async () => {
      await child?.kill('SIGTERM');
      await dataSource?.destroy();
      await db?.drop();
      build?.remove();
    });

    it('cancels after the broker and the switch are back', async () => {
      const env = testEnvironment({
        DATABASE_URL: db.config.url!,
        ALIPAY_SANDBOX: 'external',
        ALIPAY_SANDBOX_URL: sandbox.url,
        KAFKA_BROKERS: broker.brokers,
        KAFKA_TOPIC_PREFIX: uniquePrefix('crash'),
        REVERSAL_TOPIC_PARTITIONS: '3',
        LOG_LEVEL: 'info',
        ...RETRY_POLICY,
      });
      loadConfig(env); // a bad test environment fails here, not in the child

      await broker.down(); // forwarding cannot happen
      child = await startSwitchChild(build.main, env);
      const pos = await PosClient.connect('127.0.0.1', child.port('ascii'), {
        dialect: 'ascii',
        timeoutMs: 8_000,
      });
      const bought = await buy(pos, '000', 'mapi');
      expect(bought.reply.get(Field.ResponseCode)).toBe('00');
      const answer = await pos.send(reversalOf(bought));
      expect([answer.mti, answer.get(Field.ResponseCode)]).toEqual(['0430', '00']);
      await child.kill('SIGKILL');
      await pos.close();

      // Answered and stored, not forwarded: the order waits in the outbox.
      expect((await paymentRow(dataSource, bought.paymentRequestId))?.state).toBe('CANCEL_REQUESTED');
      const orders = await dataSource
        .getRepository(OutboxMessageEntity)
        .findBy({ messageKey: bought.paymentRequestId });
      expect(orders.map((o) => o.relayedAt)).toEqual([null]);
      expect((await sandboxPayment(sandbox.url, bought.paymentRequestId))?.status).toBe('SUCCESS');

      await broker.up();
      child = await startSwitchChild(build.main, env);
      await allCancelled(dataSource, [bought], 60_000);
    });
  });
});
