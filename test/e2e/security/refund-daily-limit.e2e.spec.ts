import { Field } from '@switch/iso8583';
import { purchase, refund } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, nextStan, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

/** REFUND_DAILY_LIMIT_MINOR / _COUNT: per merchant and UTC day, through real sockets, MariaDB and the sandbox. */
describe.each(['mysql', 'sqlite'] as const)('daily refund limit per merchant (%s)', (database) => {
  let sut: SwitchUnderTest;
  let client: PosClient;

  beforeAll(async () => {
    // Generous timers: on a loaded machine a refund answered 91 (in doubt) would keep its share and blur the count.
    sut = await startTestSwitch(database, {
      REFUND_DAILY_LIMIT_MINOR: '1000',
      REFUND_DAILY_LIMIT_COUNT: '3',
      MERCHANT_TIMEOUT_MS: '15000',
      GATEWAY_TIMEOUT_MS: '20000',
      ALIPAY_CALL_TIMEOUT_MS: '5000',
    });
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  const paid = async (terminal: { terminalId: string; merchantId: string }, amountMinor: number): Promise<string> => {
    const reply = await client.send(purchase({ ...terminal, stan: nextStan(), amountMinor, paymentCode: paymentCode('000') }));
    expect(reply.get(Field.ResponseCode)).toBe('00');
    return reply.get(Field.Rrn)!;
  };
  const refunded = async (terminal: { terminalId: string; merchantId: string }, rrn: string, amountMinor: number) =>
    (await client.send(refund({ ...terminal, stan: nextStan(), amountMinor, originalRrn: rrn }))).get(Field.ResponseCode);

  it('answers 61 to the refund that would pass the amount limit, across payments and terminals of one merchant', async () => {
    const first = demoTerminal('ams', 'ascii', 0);
    const second = demoTerminal('ams', 'ascii', 1);
    const rrnA = await paid(first, 2000);
    const rrnB = await paid(second, 2000);
    expect(await refunded(first, rrnA, 600)).toBe('00');
    expect(await refunded(second, rrnB, 500)).toBe('61');
    // A refused refund takes nothing from the allowance: what is left can still be refunded.
    expect(await refunded(second, rrnB, 400)).toBe('00');
    expect(await refunded(first, rrnA, 1)).toBe('61');
  });

  it('keeps each merchant’s allowance apart, and limits the number of refunds too', async () => {
    const other = demoTerminal('openapi', 'ascii', 0);
    const rrn = await paid(other, 2000);
    expect(await refunded(other, rrn, 10)).toBe('00');
    expect(await refunded(other, rrn, 10)).toBe('00');
    expect(await refunded(other, rrn, 10)).toBe('00');
    expect(await refunded(other, rrn, 10)).toBe('61');
  });
});
