/**
 * The embedded database (`npm start` without DATABASE_URL) after a SIGKILL: a supervisor starts the switch
 * again at once, under a new default INSTANCE_ID, while the dead process's lease is still live. The
 * embedded database has one instance by construction, so the new process must take everything unfinished
 * over at start, not wait for a lease that nobody will ever look at again.
 */
import { startSandbox, type RunningSandbox } from '@switch/alipay';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/app-config';
import { purchase } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, eventually, nextStan, paymentCode } from '../../support/pos-helpers';
import { buildSwitch, startSwitchChild, type SwitchChild } from '../../support/switch-process';
import { testEnvironment } from '../../support/switch-harness';

const KEY = 'embedded-crash-bootstrap-key-0123456789';
const FINAL = new Set(['DECLINED', 'CANCELLED']);

describe('SIGKILL and an immediate restart on the embedded database', () => {
  let sandbox: RunningSandbox;
  let child: SwitchChild | undefined;
  let build: { main: string; remove(): void };
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    build = await buildSwitch('embedded-crash');
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, noAnswerHoldMs: 1_500 });
    dir = mkdtempSync(join(tmpdir(), 'embedded-crash-'));
    env = testEnvironment({
      SQLITE_PATH: join(dir, 'switch.sqlite'),
      ALIPAY_SANDBOX: 'external',
      ALIPAY_SANDBOX_URL: sandbox.url,
      ADMIN_BOOTSTRAP_KEY: KEY,
      // The production default is 15 s; a restart takes a few seconds. Long here so the lease is surely live.
      LEASE_MS: '120000',
    });
    expect(loadConfig(env).database.kind).toBe('sqlite');
  }, 120_000);

  afterAll(async () => {
    await child?.kill('SIGTERM');
    await sandbox?.close();
    build?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles the dead process\'s open purchase after the restart, without waiting for its lease', async () => {
    child = await startSwitchChild(build.main, env);
    const client = await PosClient.connect('127.0.0.1', child.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
    // 003: Alipay keeps it processing until it is cancelled; the terminal gets no approval.
    const reply = client.send(purchase({ ...demoTerminal('ams', 'ascii', 0), stan: nextStan(), amountMinor: 777, paymentCode: paymentCode('003') })).catch(() => undefined);
    const admin = (path: string) => fetch(`${child!.httpUrl}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    type Listed = { items: Array<{ paymentRequestId: string; state: string }> };
    const open = await eventually(async () => {
      const items = ((await (await admin('/admin/v1/transactions?limit=10')).json()) as Listed).items;
      return items.find((p) => p.state === 'AWAITING_ALIPAY');
    }, 10_000, 50);
    await child.kill('SIGKILL');
    await reply;
    await client.close();

    child = await startSwitchChild(build.main, env);
    const settled = await eventually(async () => {
      const answer = (await (await admin(`/admin/v1/transactions/${open.paymentRequestId}`)).json()) as { payment: { state: string } };
      return FINAL.has(answer.payment.state) || answer.payment.state === 'CANCEL_REQUESTED' ? answer.payment.state : undefined;
    }, 30_000, 200);
    expect(['CANCEL_REQUESTED', 'CANCELLED']).toContain(settled);
  }, 120_000);
});
