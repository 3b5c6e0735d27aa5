import { Field } from '@switch/iso8583';
import { inquiry, purchase, refund } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { demoTerminal, nextStan, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

/** Fields 37, 41 and 42 outside their character sets are format errors (30), through the real switch on MariaDB. */
describe('identifier fields outside their character sets', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;
  const terminal = demoTerminal('ams', 'ascii');

  beforeAll(async () => {
    sut = await startTestSwitch('mysql');
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  it('answers 30, not 25, to a refund whose RRN carries a quote or backslash', async () => {
    const paid = await client.send(purchase({ ...terminal, stan: nextStan(), amountMinor: 500, paymentCode: paymentCode('000') }));
    expect(paid.get(Field.ResponseCode)).toBe('00');
    const crafted = `${paid.get(Field.Rrn)!.slice(0, 10)}\\'`;
    const reply = await client.send(refund({ ...terminal, stan: nextStan(), amountMinor: 100, originalRrn: crafted }));
    expect(reply.get(Field.ResponseCode)).toBe('30');
    expect((await client.send(inquiry({ ...terminal, stan: nextStan(), originalRrn: "' OR 1=1 -- " }))).get(Field.ResponseCode)).toBe('30');
  });

  it('answers 30, not 58, to a terminal or merchant id with characters outside letters and digits', async () => {
    const bad = [
      { terminalId: "TERM00'1", merchantId: terminal.merchantId },
      { terminalId: terminal.terminalId, merchantId: 'MERCHANT000000%' },
      { terminalId: terminal.terminalId, merchantId: 'MERCHANT0000001'.replace('1', '\\') },
    ];
    for (const ids of bad) {
      const reply = await client.send(purchase({ ...ids, stan: nextStan(), amountMinor: 500, paymentCode: paymentCode('000') }));
      expect([ids, reply.get(Field.ResponseCode)]).toEqual([ids, '30']);
    }
  });
});
