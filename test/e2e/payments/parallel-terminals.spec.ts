import { Field } from '@switch/iso8583';
import { TerminalEntity } from '../../../src/persistence/entities';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { nextStan, paymentCode, paymentRequestIdOf, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

const TERMINALS = 200;
const MERCHANT_TIMEOUT_MS = 60_000;

describe.each(['mysql', 'sqlite'] as const)('200 terminals in parallel (%s)', (database) => {
  let sut: SwitchUnderTest;
  const clients: PosClient[] = [];

  beforeAll(async () => {
    // Parallelism is under test here, not timers: generous timeouts keep a loaded CI machine from turning
    // approvals into 91s. On the embedded database all 200 purchases share one sql.js connection; on a slow,
    // loaded CI machine the batch took close to 20 s, and the first terminal (the earliest deadline, and a
    // payment that needs three inquiries) got 91 at a 20 s merchant timeout.
    sut = await startTestSwitch(database, { MERCHANT_TIMEOUT_MS: String(MERCHANT_TIMEOUT_MS), GATEWAY_TIMEOUT_MS: '75000' });
    const now = new Date();
    const terminals = Array.from({ length: TERMINALS }, (_, i) => ({
      terminalId: `LOAD${String(i).padStart(4, '0')}`,
      merchantId: i % 2 === 0 ? 'MERCHANT0000001' : 'MERCHANT0000003',
      dialect: i % 3 === 0 ? ('nac-bcd' as const) : ('ascii' as const),
      status: 'active' as const,
      merchantTimeoutMs: MERCHANT_TIMEOUT_MS,
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
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, i) => {
        const dialect = i % 3 === 0 ? 'nac-bcd' : 'ascii';
        const client = await PosClient.connect('127.0.0.1', sut.port(dialect), { dialect, timeoutMs: MERCHANT_TIMEOUT_MS + 10_000 });
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
    // How long the batch took is in the failure message: near the merchant timeout means a slow machine.
    expect({ seconds: Math.round((Date.now() - started) / 1000), codes: replies.map((r) => r.get(Field.ResponseCode)) }).toEqual({
      seconds: expect.any(Number),
      codes: Array(TERMINALS).fill('00'),
    });
    const requestIds = new Set(replies.map(paymentRequestIdOf));
    expect(requestIds.size).toBe(TERMINALS);
    expect(new Set(replies.map((r) => r.get(Field.Rrn))).size).toBe(TERMINALS);
    const ledgers = await Promise.all([...requestIds].map((id) => sandboxPayment(sut.sandboxUrl, id)));
    expect(ledgers.map((l) => l?.status)).toEqual(Array(TERMINALS).fill('SUCCESS'));
  }, 2 * MERCHANT_TIMEOUT_MS);
});
