import { Field } from '@switch/iso8583';
import { echo, purchase } from '../../../tools/pos/messages';
import { PosClient, PosConnectionClosedError, PosDuplicateRequestError, PosTimeoutError } from '../../../tools/pos/pos-client';
import { TestProcessing, startTerminalTestApp, until, type TerminalTestApp } from './support/terminal-test-app';

describe('PosClient against a live listener', () => {
  let t: TerminalTestApp;
  beforeAll(async () => {
    t = await startTerminalTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const gated = (stan: number) =>
    purchase({ terminalId: 'TERM0001', merchantId: 'MERCHANT0000001', stan, amountMinor: 1, paymentCode: '281234567890123456' }).set(
      Field.ProcessingCode,
      TestProcessing.Gated,
    );

  it('refuses a second request with the same reply key while the first is in flight', async () => {
    const client = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
    const first = client.send(gated(401));
    await expect(client.send(gated(401))).rejects.toBeInstanceOf(PosDuplicateRequestError);
    await until(() => t.gates.find('000401') !== undefined, 'first request in handler');
    t.gates.open('000401');
    expect((await first).get(Field.ResponseCode)).toBe('00');
    await client.close();
  });

  it('times a request out, then files its late reply under unmatched', async () => {
    const client = await PosClient.connect('127.0.0.1', t.asciiPort, { dialect: 'ascii', timeoutMs: 30 });
    await expect(client.send(gated(402))).rejects.toBeInstanceOf(PosTimeoutError);
    t.gates.open('000402');
    await until(() => client.unmatched.length === 1, 'late reply');
    expect(client.unmatched[0].get(Field.Stan)).toBe('000402');
    await client.close();
  });

  it('rejects pending and later requests once the connection is closed', async () => {
    const client = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
    const pending = client.send(gated(403));
    await until(() => t.gates.find('000403') !== undefined, 'request in handler');
    await client.close();
    await expect(pending).rejects.toBeInstanceOf(PosConnectionClosedError);
    await expect(client.send(echo({ terminalId: 'TERM0001', stan: 404 }))).rejects.toBeInstanceOf(PosConnectionClosedError);
  });
});
