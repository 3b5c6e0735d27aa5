import { Field } from '@switch/iso8583';
import { echo, networkManagement, signOff, signOn } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { SessionRegistry } from '../../../src/terminal/session-registry';
import { startTerminalTestApp, type TerminalTestApp } from './support/terminal-test-app';

describe('network management (0800) over real sockets', () => {
  let t: TerminalTestApp;
  const clients: PosClient[] = [];

  beforeAll(async () => {
    t = await startTerminalTestApp();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t.close();
  });

  const connect = async (dialect: 'ascii' | 'nac-bcd'): Promise<PosClient> => {
    const client = await PosClient.connect('127.0.0.1', dialect === 'ascii' ? t.asciiPort : t.nacPort, { dialect, timeoutMs: 5_000 });
    clients.push(client);
    return client;
  };

  describe.each([
    ['ascii', 'TERM0001'],
    ['nac-bcd', 'TERM0002'],
  ] as const)('%s', (dialect, terminalId) => {
    it('signs on, echoes and signs off, echoing 7, 11, 41 and 70', async () => {
      const client = await connect(dialect);
      const sessions = t.app.get(SessionRegistry);
      const at = new Date('2025-03-04T05:06:07Z');

      const onRequest = signOn({ terminalId, stan: 101, at });
      const on = await client.exchange(onRequest);
      expect(on.reply.mti).toBe('0810');
      expect(on.reply.get(Field.ResponseCode)).toBe('00');
      expect(on.reply.get(Field.Stan)).toBe('000101');
      expect(on.reply.get(Field.TerminalId)).toBe(terminalId);
      expect(on.reply.get(Field.NetworkManagementCode)).toBe('001');
      expect(on.reply.get(7)).toBe('0304050607');
      expect(sessions.isSignedOn(terminalId)).toBe(true);

      const echoed = await client.send(echo({ terminalId, stan: 102 }));
      expect([echoed.mti, echoed.get(Field.ResponseCode), echoed.get(Field.NetworkManagementCode)]).toEqual(['0810', '00', '301']);

      const off = await client.send(signOff({ terminalId, stan: 103 }));
      expect([off.get(Field.ResponseCode), off.get(Field.NetworkManagementCode)]).toEqual(['00', '002']);
      expect(sessions.isSignedOn(terminalId)).toBe(false);
    });

    it('answers 12 to an unknown network management code', async () => {
      const client = await connect(dialect);
      const reply = await client.send(networkManagement('999', { terminalId, stan: 104 }));
      expect(reply.mti).toBe('0810');
      expect(reply.get(Field.ResponseCode)).toBe('12');
    });
  });

  it('swaps the TPDU source and destination on nac-bcd replies', async () => {
    const client = await PosClient.connect('127.0.0.1', t.nacPort, {
      dialect: 'nac-bcd',
      tpdu: Buffer.from('6012348a90', 'hex'),
      timeoutMs: 5_000,
    });
    clients.push(client);
    const exchange = await client.exchange(echo({ terminalId: 'TERM0002', stan: 105 }));
    expect(exchange.tpdu?.toString('hex')).toBe('608a901234');
  });
});
