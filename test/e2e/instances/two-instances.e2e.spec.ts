/**
 * Two (then three) switch instances on one MariaDB database, one Kafka broker and one sandbox, terminals
 * over real sockets (issue 13): a retransmission at the instance that does not own the original gets the
 * original's answer; a reversal at the other instance cancels, and the owner's cached copy does not mislead
 * it afterwards; an instance whose lease lapsed has its payment taken over, and its own stale write is
 * refused (fenced) and its timers for the payment stop; an instance that died has its payment resumed and
 * settled by another, and its refund whose outcome was unknown retried and finished by another.
 */
import { startSandbox, type RunningSandbox } from '@switch/alipay';
import { Field, type IsoMessage } from '@switch/iso8583';
import type { DataSource } from 'typeorm';
import { PaymentEntity, PaymentEventEntity, RefundEntity } from '../../../src/persistence/entities';
import { purchase, refund, signOn } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment, setSandboxFaults } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { kafkaBrokers, uniquePrefix } from '../reversals/kafka-kit';
import { buy, FAST_CANCEL_POLICY, reversalOf } from '../reversals/reversal-helpers';

jest.setTimeout(120_000);

const ADMIN_KEY = 'instances-test-admin-key-0123456789abcdef';
/** The cancel decided (what ownership is about); Alipay's confirmation is the cancel workers' (proved in the reversal test). */
const decided = (state: string | undefined) => state === 'CANCEL_REQUESTED' || state === 'CANCELLED';

describe('two switch instances on one database', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  const switches: SwitchUnderTest[] = [];
  const clients: PosClient[] = [];
  let a: SwitchUnderTest;
  let b: SwitchUnderTest;
  let env: Record<string, string>;

  const dataSource = (): DataSource => b.running.dataSource;
  const row = (where: Partial<Pick<PaymentEntity, 'terminalId' | 'stan' | 'id' | 'paymentRequestId'>>) =>
    dataSource().getRepository(PaymentEntity).findOneBy(where);
  const notes = async (paymentId: string) =>
    (await dataSource().getRepository(PaymentEventEntity).find({ where: { paymentId }, order: { id: 'ASC' } })).map(
      (e) => `${e.type} ${e.api ?? ''} ${e.detail ?? ''}`,
    );
  const connect = async (sw: SwitchUnderTest) => {
    const client = await PosClient.connect('127.0.0.1', sw.port('ascii'), { dialect: 'ascii', timeoutMs: 30_000 });
    clients.push(client);
    return client;
  };
  const start = async (instanceId: string) => {
    const sw = await startTestSwitch('mysql', { ...env, INSTANCE_ID: instanceId }, { sharedDatabase: db });
    switches.push(sw);
    return sw;
  };

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, noAnswerHoldMs: 1_500 });
    env = {
      ...FAST_CANCEL_POLICY,
      LOG_LEVEL: 'info',
      ALIPAY_SANDBOX: 'external',
      ALIPAY_SANDBOX_URL: sandbox.url,
      KAFKA_BROKERS: kafkaBrokers(),
      // One topic prefix: the instances share the cancel topics and the consumer group, as in production.
      KAFKA_TOPIC_PREFIX: uniquePrefix('instances'),
      MERCHANT_TIMEOUT_MS: '8000',
      GATEWAY_TIMEOUT_MS: '15000',
      // Seconds between inquiries, so a retransmission or a takeover lands while the payment is still open.
      AMS_INQUIRY_INTERVAL_MS: '1000',
      LEASE_MS: '3000',
      ADMIN_BOOTSTRAP_KEY: ADMIN_KEY,
    };
    a = await start('switch-a');
    b = await start('switch-b');
  }, 120_000);

  afterAll(async () => {
    await setSandboxFaults(sandbox.url, undefined).catch(() => undefined);
    for (const c of clients) await c.close().catch(() => undefined);
    for (const sw of switches.reverse()) await sw.stop().catch(() => undefined);
    await sandbox?.close();
    await db?.drop();
  });

  it('answers a retransmission at the other instance with the original answer', async () => {
    const terminal = demoTerminal('ams', 'ascii', 0);
    const stan = nextStan();
    // 001: pay answers processing; the owner's third inquiry (about 3 s later) learns the success.
    const request = purchase({ ...terminal, stan, at: new Date(), amountMinor: 2_101, paymentCode: paymentCode('001') });
    const [atA, atB] = [await connect(a), await connect(b)];
    const original = atA.send(request);
    const stored = await eventually(async () => (await row({ terminalId: terminal.terminalId, stan })) ?? undefined, 10_000, 20);
    expect(stored.ownerInstance).toBe('switch-a');
    expect(stored.state).not.toBe('APPROVED');

    const repeat = request.clone();
    repeat.mti = '0201';
    const [first, again] = await Promise.all([original, atB.send(repeat)]);
    expect(first.get(Field.ResponseCode)).toBe('00');
    expect(again.get(Field.ResponseCode)).toBe('00');
    expect(again.get(Field.Rrn)).toBe(first.get(Field.Rrn));
    expect(again.get(Field.AuthorizationCode)).toBe(first.get(Field.AuthorizationCode));
    // Only the owner inquired; the other instance read the database until the payment was final.
    const ledger = await sandboxPayment(sandbox.url, first.get(63)!);
    expect(ledger?.status).toBe('SUCCESS');
    // Final and delivered: nobody drives it any more.
    await eventually(async () => ((await row({ id: stored.id }))?.ownerInstance === null ? true : undefined), 10_000);
  });

  it('cancels on a reversal at the other instance, and the owner then answers from the database', async () => {
    const [atA, atB] = [await connect(a), await connect(b)];
    const bought = await buy(atA, '000', 'ams', 1);
    expect(bought.reply.get(Field.ResponseCode)).toBe('00');

    const ack = await atB.send(reversalOf(bought));
    expect(ack.get(Field.ResponseCode)).toBe('00');
    const cancelled = await eventually(async () => {
      const p = await dataSource().getRepository(PaymentEntity).findOneBy({ paymentRequestId: bought.paymentRequestId });
      return p?.state === 'CANCELLED' ? p : undefined;
    }, 30_000);
    expect(cancelled.cancelReason).toBe('terminal-reversal');
    expect((await sandboxPayment(sandbox.url, bought.paymentRequestId))?.status).toBe('CANCELLED');

    // Instance A last wrote this payment as APPROVED: a retransmission there must not be answered from that copy.
    const repeat: IsoMessage = purchase({ ...bought.terminal, stan: bought.stan, at: bought.at, amountMinor: bought.amountMinor, paymentCode: bought.paymentCode });
    repeat.mti = '0201';
    const reply = await atA.send(repeat);
    expect(reply.get(Field.ResponseCode)).not.toBe('00');
  });

  it("lists the sessions of every instance, with the instance and the sign-on, at either instance's admin API", async () => {
    const { terminalId } = demoTerminal('mapi', 'ascii', 0);
    const atB = await connect(b);
    expect((await atB.send(signOn({ terminalId, stan: nextStan() }))).get(Field.ResponseCode)).toBe('00');
    type Listed = { instanceId: string; terminalId: string; signedOn: boolean; signedOnAt?: string };
    const listed = async (sw: SwitchUnderTest): Promise<Listed[]> => {
      const response = await fetch(`${sw.running.httpUrl}/admin/v1/sessions?limit=200`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: Listed[] }).items;
    };
    // A reads B's sessions from the table B writes every few seconds.
    const seenAtA = await eventually(async () => (await listed(a)).find((s) => s.terminalId === terminalId), 20_000, 500);
    expect(seenAtA).toMatchObject({ instanceId: 'switch-b', signedOn: true, signedOnAt: expect.any(String) });
    expect((await listed(b)).find((s) => s.terminalId === terminalId)).toMatchObject({ instanceId: 'switch-b', signedOn: true });
    await atB.close();
    await eventually(async () => ((await listed(a)).some((s) => s.terminalId === terminalId) ? undefined : true), 20_000, 500);
  });

  it("leaves a live instance's payments alone when another instance starts", async () => {
    const terminal = demoTerminal('ams', 'ascii', 4);
    const stan = nextStan();
    const atB = await connect(b);
    const answer = atB
      .send(purchase({ ...terminal, stan, at: new Date(), amountMinor: 2_505, paymentCode: paymentCode('003') }))
      .catch((e: Error) => e);
    const stored = await eventually(async () => {
      const p = await row({ terminalId: terminal.terminalId, stan });
      return p?.state === 'AWAITING_ALIPAY' ? p : undefined;
    }, 10_000, 20);
    // Before instances, a starting switch resumed every unfinished payment: this one would have been inquired
    // and re-armed twice, or cancelled once past its deadline, while B was still paying it.
    const d = await start('switch-d');
    await eventually(async () => (d.logs.some((l) => l.includes('unfinished transactions resumed')) ? true : undefined), 10_000);
    const after = await row({ id: stored.id });
    expect(after?.ownerInstance).toBe('switch-b');
    expect(after?.state).toBe('AWAITING_ALIPAY');
    expect(d.engine().timers.isArmed(stored.id)).toBe(false);
    expect((await notes(stored.id)).some((n) => n.includes('taken over'))).toBe(false);
    await d.stop();
    switches.splice(switches.indexOf(d), 1);
    // B's gateway timeout settles it as usual.
    await eventually(async () => (decided((await row({ id: stored.id }))?.state) ? true : undefined), 40_000, 200);
    const reply = await answer;
    if (!(reply instanceof Error)) expect(reply.get(Field.ResponseCode)).not.toBe('00');
  });

  it('releases its lease on a clean stop, so another instance takes its payments over without waiting for a lapse', async () => {
    const e = await start('switch-e');
    const terminal = demoTerminal('openapi', 'ascii', 1);
    const stan = nextStan();
    const atE = await connect(e);
    void atE.send(purchase({ ...terminal, stan, at: new Date(), amountMinor: 2_606, paymentCode: paymentCode('003') })).catch(() => undefined);
    const stored = await eventually(async () => {
      const p = await row({ terminalId: terminal.terminalId, stan });
      return p?.state === 'AWAITING_ALIPAY' ? p : undefined;
    }, 10_000, 20);
    expect(stored.ownerInstance).toBe('switch-e');

    switches.splice(switches.indexOf(e), 1);
    await e.stop(); // SIGTERM's path: listeners drained (SHUTDOWN_GRACE_MS), timers stopped, lease released
    expect(e.logs.some((l) => l.includes('lease released'))).toBe(true);
    const lease = await dataSource().query<unknown[]>('SELECT 1 FROM `instance_leases` WHERE `instance_id` = ?', ['switch-e']);
    expect(lease).toHaveLength(0);
    // Whichever live instance looks first takes it.
    const taken = await eventually(async () => {
      const owner = (await row({ id: stored.id }))?.ownerInstance;
      return owner === 'switch-a' || owner === 'switch-b' ? owner : undefined;
    }, 10_000);
    expect(await notes(stored.id)).toContainEqual(expect.stringContaining(`taken over from instance switch-e (lease lapsed) by instance ${taken}`));
  });

  it("takes over a lapsed instance's payment; the stale owner's write is refused and its timers stop", async () => {
    const terminal = demoTerminal('ams', 'ascii', 2);
    const stan = nextStan();
    const atA = await connect(a);
    // 003: processing until cancelled, so A inquires every second until its gateway timeout.
    const answer = atA
      .send(purchase({ ...terminal, stan, at: new Date(), amountMinor: 2_303, paymentCode: paymentCode('003') }))
      .catch((e: Error) => e);
    const stored = await eventually(async () => {
      const p = await row({ terminalId: terminal.terminalId, stan });
      return p?.state === 'AWAITING_ALIPAY' ? p : undefined;
    }, 10_000, 20);
    expect(stored.ownerInstance).toBe('switch-a');
    expect(a.engine().timers.isArmed(stored.id)).toBe(true);

    // A hangs as far as the lease goes (its timers and sockets live on); B takes the payment once it lapses.
    await a.stopRenewingLease();
    await eventually(async () => ((await row({ id: stored.id }))?.ownerInstance === 'switch-b' ? true : undefined), 20_000);
    expect(await notes(stored.id)).toContainEqual(expect.stringContaining('taken over from instance switch-a (lease lapsed) by instance switch-b'));

    // A's next inquiry result is refused (the takeover bumped the version; the fresh row names B) and A stops.
    await eventually(async () => (a.logs.some((l) => l.includes(stored.id) && l.includes('payment driven by another instance')) ? true : undefined), 10_000);
    expect(a.engine().timers.isArmed(stored.id)).toBe(false);
    expect(b.engine().timers.isArmed(stored.id)).toBe(true);

    // B, now the owner, cancels at the gateway timeout.
    const cancelled = await eventually(async () => {
      const p = await row({ id: stored.id });
      return decided(p?.state) ? p : undefined;
    }, 40_000, 200);
    expect(cancelled.cancelReason).toBe('gateway-timeout');
    expect(b.logs.some((l) => l.includes(stored.id) && l.includes('driven by another instance'))).toBe(false);
    const reply = await answer;
    if (!(reply instanceof Error)) expect(reply.get(Field.ResponseCode)).not.toBe('00');
  });

  it("resumes a dead instance's payment at another instance", async () => {
    const c = await start('switch-c');
    const terminal = demoTerminal('ams', 'ascii', 3);
    const stan = nextStan();
    const atC = await connect(c);
    // 001: success on the third inquiry; C dies before it makes one.
    void atC.send(purchase({ ...terminal, stan, at: new Date(), amountMinor: 2_404, paymentCode: paymentCode('001') })).catch(() => undefined);
    const stored = await eventually(async () => {
      const p = await row({ terminalId: terminal.terminalId, stan });
      return p?.state === 'AWAITING_ALIPAY' ? p : undefined;
    }, 10_000, 20);
    expect(stored.ownerInstance).toBe('switch-c');
    await c.halt();

    await eventually(async () => ((await row({ id: stored.id }))?.ownerInstance === 'switch-b' ? true : undefined), 20_000);
    // B inquires until Alipay approves; the terminal was never answered with that approval, so B cancels it
    // at the gateway timeout.
    const cancelled = await eventually(async () => {
      const p = await row({ id: stored.id });
      return decided(p?.state) ? p : undefined;
    }, 40_000, 200);
    expect(cancelled.cancelReason).toBe('gateway-timeout');
    const history = await notes(stored.id);
    const takenAt = history.findIndex((n) => n.includes('taken over from instance switch-c'));
    expect(takenAt).toBeGreaterThan(0);
    expect(history.slice(takenAt).filter((n) => n.startsWith('ALIPAY_CALL') && /inquir|query/i.test(n)).length).toBeGreaterThanOrEqual(1);
  });

  it("finishes a dead instance's refund at another instance, with the same refundRequestId and one refund at Alipay", async () => {
    const f = await start('switch-f');
    const atF = await connect(f);
    const bought = await buy(atF, '000', 'ams', 1);
    expect(bought.reply.get(Field.ResponseCode)).toBe('00');

    // Every Alipay call fails (HTTP 500, no effect): the refund's outcome is unknown, and F retries it.
    await setSandboxFaults(sandbox.url, { errorRate: 1 });
    const refundMinor = 300;
    const answer = await atF.send(refund({ ...bought.terminal, stan: nextStan(), amountMinor: refundMinor, originalRrn: bought.reply.get(Field.Rrn)! }));
    expect(answer.get(Field.ResponseCode)).not.toBe('00');
    const refunds = dataSource().getRepository(RefundEntity);
    const pending = await eventually(async () => {
      const [r] = await refunds.find({ where: { paymentId: (await row({ paymentRequestId: bought.paymentRequestId }))!.id } });
      return r?.state === 'PENDING' ? r : undefined;
    }, 10_000, 50);
    expect(pending.ownerInstance).toBe('switch-f');

    // F dies; Alipay answers again. Before refunds had owners, only a restart retried it.
    await f.halt();
    await setSandboxFaults(sandbox.url, undefined);
    const finished = await eventually(async () => {
      const r = await refunds.findOneBy({ id: pending.id });
      return r?.state === 'SUCCEEDED' ? r : undefined;
    }, 30_000, 200);
    expect(finished.refundRequestId).toBe(pending.refundRequestId);
    expect(finished.ownerInstance).toBeNull();
    const history = await dataSource().getRepository(PaymentEventEntity).find({ where: { refundId: pending.id }, order: { id: 'ASC' } });
    expect(history.map((e) => e.detail)).toContainEqual(expect.stringMatching(/^taken over from instance switch-f \(lease lapsed\) by instance switch-[ab]$/));
    const atAlipay = (await sandboxPayment(sandbox.url, bought.paymentRequestId)) as unknown as { refundedMinor: number; refunds: Array<{ refundRequestId: string }> };
    expect(atAlipay.refundedMinor).toBe(refundMinor);
    expect(atAlipay.refunds.map((r) => r.refundRequestId)).toEqual([pending.refundRequestId]);
    expect((await row({ paymentRequestId: bought.paymentRequestId }))?.refundedMinor).toBe(refundMinor);
  });
});
