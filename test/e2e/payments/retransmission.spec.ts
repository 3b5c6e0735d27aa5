import { Field, IsoMessage } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { demoTerminal, nextStan, paymentCode, paymentRequestIdOf, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

const payCalls = (calls: Array<{ api: string }>) => calls.filter((c) => /pay$|spot\.pay|trade\.pay/i.test(c.api)).length;

describe('retransmissions and STAN reuse (MariaDB)', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;
  // A terminal that times out usually reconnects before it repeats; the repeat arrives on another link.
  let second: PosClient;
  const terminal = demoTerminal('ams', 'ascii', 1);

  beforeAll(async () => {
    sut = await startTestSwitch('mysql');
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
    second = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await client?.close();
    await second?.close();
    await sut?.stop();
  });

  const asRepeat = (message: IsoMessage) => {
    const repeat = message.clone();
    repeat.mti = '0201';
    return repeat;
  };

  it('answers a 0201 repeat of an approved purchase with the same answer and no second payment', async () => {
    const request = purchase({ ...terminal, stan: nextStan(), amountMinor: 700, paymentCode: paymentCode('000') });
    const first = await client.send(request);
    const again = await client.send(asRepeat(request));
    const plainRepeat = await client.send(request.clone());
    for (const reply of [again, plainRepeat]) {
      for (const field of [Field.ResponseCode, Field.Rrn, Field.AuthorizationCode, 62, 63]) expect(reply.get(field)).toBe(first.get(field));
    }
    expect(first.get(Field.ResponseCode)).toBe('00');
    const ledger = await sandboxPayment(sut.sandboxUrl, paymentRequestIdOf(first));
    expect(payCalls(ledger!.calls)).toBe(1);
  });

  it('gives a repeat sent while the original is still in flight the same final answer', async () => {
    const request = purchase({ ...terminal, stan: nextStan(), amountMinor: 800, paymentCode: paymentCode('001') });
    const [first, repeat] = await Promise.all([client.send(request), delay(50).then(() => second.send(asRepeat(request)))]);
    expect(first.get(Field.ResponseCode)).toBe('00');
    expect(repeat.get(Field.ResponseCode)).toBe('00');
    expect(repeat.get(Field.Rrn)).toBe(first.get(Field.Rrn));
    const ledger = await sandboxPayment(sut.sandboxUrl, paymentRequestIdOf(first));
    expect(payCalls(ledger!.calls)).toBe(1);
  });

  it('answers 94 to a different request that reuses the STAN and local time', async () => {
    const stan = nextStan();
    const at = new Date();
    const first = await client.send(purchase({ ...terminal, stan, at, amountMinor: 900, paymentCode: paymentCode('000') }));
    expect(first.get(Field.ResponseCode)).toBe('00');
    const other = await client.send(purchase({ ...terminal, stan, at, amountMinor: 901, paymentCode: paymentCode('000') }));
    expect(other.get(Field.ResponseCode)).toBe('94');
    const ledger = await sandboxPayment(sut.sandboxUrl, paymentRequestIdOf(first));
    expect(ledger!.amountMinor).toBe(900);
  });

  it('answers 94 to a new request reusing the STAN of a transaction still in flight', async () => {
    const stan = nextStan();
    const inFlight = client.send(purchase({ ...terminal, stan, amountMinor: 1000, paymentCode: paymentCode('001') }));
    await delay(100);
    const reuse = await second.send(
      purchase({ ...terminal, stan, at: new Date(Date.now() + 2_000), amountMinor: 1001, paymentCode: paymentCode('000') }),
    );
    expect(reuse.get(Field.ResponseCode)).toBe('94');
    expect((await inFlight).get(Field.ResponseCode)).toBe('00');
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
