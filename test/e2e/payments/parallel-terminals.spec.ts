import { Field } from '@switch/iso8583';
import { TerminalEntity } from '../../../src/persistence/entities';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { nextStan, paymentCode, paymentRequestIdOf, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

const TERMINALS = 200;

describe.each(['mysql', 'sqlite'] as const)('200 terminals in parallel (%s)', (database) => {
  let sut: SwitchUnderTest;
  const clients: PosClient[] = [];

  beforeAll(async () => {
    // Parallelism is under test here, not timers: generous timeouts keep a loaded CI machine from turning approvals into 91s.
    sut = await startTestSwitch(database, { MERCHANT_TIMEOUT_MS: '20000', GATEWAY_TIMEOUT_MS: '25000' });
    const now = new Date();
    const terminals = Array.from({ length: TERMINALS }, (_, i) => ({
      terminalId: `LOAD${String(i).padStart(4, '0')}`,
      merchantId: i % 2 === 0 ? 'MERCHANT0000001' : 'MERCHANT0000003',
      dialect: i % 3 === 0 ? ('nac-bcd' as const) : ('ascii' as const),
      status: 'active' as const,
      merchantTimeoutMs: 20_000,
      macKeySealed: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    }));
    await sut.running.dataSource.getRepository(TerminalEntity).insert(terminals);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sut?.stop();
  });

  it('approves every terminal’s purchase, one Alipay payment each', async () => {
    const replies = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, i) => {
        const dialect = i % 3 === 0 ? 'nac-bcd' : 'ascii';
        const client = await PosClient.connect('127.0.0.1', sut.port(dialect), { dialect, timeoutMs: 30_000 });
        clients.push(client);
        return client.send(
          purchase({
            terminalId: `LOAD${String(i).padStart(4, '0')}`,
            merchantId: i % 2 === 0 ? 'MERCHANT0000001' : 'MERCHANT0000003',
            stan: nextStan(),
            amountMinor: 100 + i,
            paymentCode: paymentCode(i % 4 === 0 ? '001' : '000'),
          }),
        );
      }),
    );
    expect(replies.map((r) => r.get(Field.ResponseCode))).toEqual(Array(TERMINALS).fill('00'));
    const requestIds = new Set(replies.map(paymentRequestIdOf));
    expect(requestIds.size).toBe(TERMINALS);
    expect(new Set(replies.map((r) => r.get(Field.Rrn))).size).toBe(TERMINALS);
    const ledgers = await Promise.all([...requestIds].map((id) => sandboxPayment(sut.sandboxUrl, id)));
    expect(ledgers.map((l) => l?.status)).toEqual(Array(TERMINALS).fill('SUCCESS'));
  });
});
