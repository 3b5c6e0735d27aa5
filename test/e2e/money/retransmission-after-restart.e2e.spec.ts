import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { startSandbox, type RunningSandbox } from '@switch/alipay';
import { Field } from '@switch/iso8583';
import { loadConfig } from '../../../src/config/app-config';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { buildSwitch, startSwitchChild, type SwitchChild } from '../../support/switch-process';
import { testEnvironment } from '../../support/switch-harness';

const payCalls = (calls: Array<{ api: string }>) => calls.filter((c) => /pay$|spot\.pay|trade\.pay/i.test(c.api)).length;

/**
 * A terminal that got no answer repeats its purchase; meanwhile the switch died with the pay call in doubt
 * (004: Alipay took the money, the answer never came). The repeat, at the restarted switch, must get the
 * approval of the one payment Alipay holds: never a second pay call.
 */
describe('a retransmission after a restart (MariaDB, sandbox as its own server)', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let switchProcess: SwitchChild | undefined;
  let build: { main: string; remove(): void };
  let env: Record<string, string>;

  beforeAll(async () => {
    build = await buildSwitch('retransmit');
    db = await createMysqlTestDatabase();
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, noAnswerHoldMs: 1_500 });
    // Timeouts long enough that a restart on a loaded machine lands well inside the gateway timeout.
    env = testEnvironment({
      DATABASE_URL: db.config.url!,
      ALIPAY_SANDBOX: 'external',
      ALIPAY_SANDBOX_URL: sandbox.url,
      MERCHANT_TIMEOUT_MS: '30000',
      GATEWAY_TIMEOUT_MS: '60000',
    });
    loadConfig(env);
  }, 120_000);

  afterAll(async () => {
    await switchProcess?.kill('SIGTERM');
    await sandbox?.close();
    await db?.drop();
    build?.remove();
  });

  it('gets the original approval, with one pay call at Alipay', async () => {
    switchProcess = await startSwitchChild(build.main, env);
    const terminal = demoTerminal('ams', 'ascii', 4);
    const request = purchase({ ...terminal, stan: nextStan(), amountMinor: 4_040, paymentCode: paymentCode('004') });
    const first = await PosClient.connect('127.0.0.1', switchProcess.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
    const lost = first.send(request).catch((e: Error) => e);
    // The pay call is out and unanswered (the sandbox holds 004's answer for 1.5 s): kill now.
    await eventually(async () => ((await fetch(`${sandbox.url}/sandbox/payments`).then((r) => r.json())) as unknown[]).length > 0 || undefined, 5_000, 20);
    await switchProcess.kill('SIGKILL');
    expect(await lost).toBeInstanceOf(Error);
    await first.close();

    switchProcess = await startSwitchChild(build.main, env);
    const second = await PosClient.connect('127.0.0.1', switchProcess.port('ascii'), { dialect: 'ascii', timeoutMs: 30_000 });
    const repeat = request.clone();
    repeat.mti = '0201';
    const reply = await second.send(repeat);
    await second.close();
    expect(reply.get(Field.ResponseCode)).toBe('00');

    const id = reply.get(63)!;
    const ledger = await eventually(async () => sandboxPayment(sandbox.url, id));
    expect(ledger.status).toBe('SUCCESS');
    expect(payCalls(ledger.calls)).toBe(1);

    // The restart marked the open payment answered without an approval; the repeat's 00 is recorded as
    // delivered, so the gateway timeout leaves the sale the terminal printed.
    const conn = await createConnection(db.config.url!);
    try {
      const row = await eventually(async () => {
        const [rows] = await conn.query<RowDataPacket[]>(
          'SELECT state, delivery FROM payments WHERE payment_request_id = ?',
          [id],
        );
        return rows[0]?.delivery === 'delivered' ? rows[0] : undefined;
      });
      expect(row).toMatchObject({ state: 'APPROVED', delivery: 'delivered' });
    } finally {
      await conn.end();
    }
  }, 120_000);
});
