import { startSandbox, RunningSandbox } from '@switch/alipay';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/app-config';
import { openDatabase } from '../../../src/persistence/data-source';
import { PaymentEntity } from '../../../src/persistence/entities';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { createMysqlTestDatabase, TestDatabase } from '../../support/databases';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { buildSwitch, startSwitchChild, type SwitchChild } from '../../support/switch-process';
import { testEnvironment } from '../../support/switch-harness';

const FINAL = new Set(['DECLINED', 'CANCELLED']);

/**
 * The switch is killed with SIGKILL while purchases are in flight. After a restart every one of them must
 * end final, and the sandbox ledger must agree with the switch's records.
 */
describe('SIGKILL with transactions in flight (MariaDB, sandbox as its own server)', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let dataSource: DataSource;
  let switchProcess: SwitchChild | undefined;
  let env: Record<string, string>;
  let build: { main: string; remove(): void };

  beforeAll(async () => {
    build = await buildSwitch('crash');
    db = await createMysqlTestDatabase();
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, noAnswerHoldMs: 1_500 });
    env = testEnvironment({ DATABASE_URL: db.config.url!, ALIPAY_SANDBOX: 'external', ALIPAY_SANDBOX_URL: sandbox.url });
    loadConfig(env); // fail here, not in the child, on a bad test environment
  }, 120_000);

  afterAll(async () => {
    await switchProcess?.kill('SIGTERM');
    await dataSource?.destroy();
    await sandbox?.close();
    await db?.drop();
    build?.remove();
  });

  it('finishes every transaction after a restart, in agreement with Alipay', async () => {
    switchProcess = await startSwitchChild(build.main, env);
    const behaviours = ['000', '001', '003', '004', '000', '001', '003', '004', '002', '006'];
    const clients = await Promise.all(
      behaviours.map(() => PosClient.connect('127.0.0.1', switchProcess!.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 })),
    );
    const replies = behaviours.map((suffix, i) =>
      clients[i]
        .send(purchase({ ...demoTerminal(i % 2 ? 'ams' : 'mapi', 'ascii', i), stan: nextStan(), amountMinor: 500 + i, paymentCode: paymentCode(suffix) }))
        .catch(() => undefined),
    );
    // Kill once the slow ones are surely in doubt at Alipay but before any timer settles them.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await switchProcess.kill('SIGKILL');
    await Promise.all(replies);
    await Promise.all(clients.map((c) => c.close()));

    dataSource = await openDatabase(db.config);
    const before = await dataSource.getRepository(PaymentEntity).find();
    expect(before.length).toBeGreaterThanOrEqual(behaviours.length - 2);
    expect(before.some((p) => !FINAL.has(p.state) && !(p.state === 'APPROVED' && p.delivery === 'delivered'))).toBe(true);

    switchProcess = await startSwitchChild(build.main, env);
    const settled = await eventually(async () => {
      const rows = await dataSource.getRepository(PaymentEntity).find();
      const open = rows.filter((p) => !FINAL.has(p.state) && !(p.state === 'APPROVED' && p.delivery === 'delivered'));
      return open.length === 0 ? rows : undefined;
    }, 30_000);

    for (const payment of settled) {
      const ledger = await sandboxPayment(sandbox.url, payment.paymentRequestId);
      const expected: Record<string, Array<string | undefined>> = {
        APPROVED: ['SUCCESS'],
        DECLINED: ['FAILED', undefined],
        CANCELLED: ['CANCELLED', undefined],
      };
      expect({ state: payment.state, agrees: expected[payment.state]?.includes(ledger?.status) }).toEqual({
        state: payment.state,
        agrees: true,
      });
    }
  }, 120_000);
});
