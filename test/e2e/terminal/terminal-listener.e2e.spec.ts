import { Field, IsoMessage, createDialect } from '@switch/iso8583';
import { echo, purchase, reversal } from '../../../tools/pos/messages';
import { PosClient, PosConnectionClosedError } from '../../../tools/pos/pos-client';
import {
  MAC_KEY,
  TestProcessing,
  startTerminalTestApp,
  until,
  type TerminalTestApp,
} from './support/terminal-test-app';

const PAYMENT_CODE = '281234567890123456';

describe('ISO listener over real sockets', () => {
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

  const connect = async (dialect: 'ascii' | 'nac-bcd' = 'ascii', macKey?: Buffer): Promise<PosClient> => {
    const client = await PosClient.connect('127.0.0.1', dialect === 'ascii' ? t.asciiPort : t.nacPort, {
      dialect,
      macKey,
      timeoutMs: 5_000,
    });
    clients.push(client);
    return client;
  };
  const buy = (
    stan: number,
    terminalId = 'TERM0001',
    processingCode: string = TestProcessing.Approve,
  ): IsoMessage =>
    purchase({
      terminalId,
      merchantId: 'MERCHANT0000001',
      stan,
      amountMinor: 1000,
      paymentCode: PAYMENT_CODE,
    }).set(Field.ProcessingCode, processingCode);

  it('dispatches a purchase to the financial handler and returns its 0210 with the request fields echoed', async () => {
    const client = await connect();
    const request = buy(201);
    const reply = await client.send(request);
    expect(reply.mti).toBe('0210');
    expect(reply.get(Field.ResponseCode)).toBe('00');
    expect(reply.get(Field.Rrn)).toBe('000000000001');
    for (const field of [
      Field.ProcessingCode,
      Field.AmountTransaction,
      Field.Stan,
      Field.LocalTime,
      Field.LocalDate,
      Field.TerminalId,
      Field.MerchantId,
      Field.CurrencyCode,
    ]) {
      expect(reply.get(field)).toBe(request.get(field));
    }
    const handled = t.gates.find('000201')!;
    expect(handled.repeat).toBe(false);
    expect(handled.terminal.terminalId).toBe('TERM0001');
    expect(handled.dialect).toBe('ascii');
    expect(handled.deadlineAt).toBe(handled.receivedAt.getTime() + 30_000);
    expect(handled.message.get(Field.AdditionalDataPrivate)).toBe(PAYMENT_CODE);
    await expect(handled.delivery).resolves.toBe(true);
  });

  it('marks a 0201 as a repeat and answers 0210', async () => {
    const client = await connect();
    const request = buy(202);
    request.mti = '0201';
    const reply = await client.send(request);
    expect(reply.mti).toBe('0210');
    expect(t.gates.find('000202')!.repeat).toBe(true);
  });

  it('answers reversal advices (0420, repeat 0421) from a handler that returns an Observable', async () => {
    const client = await connect();
    const advice = reversal({
      terminalId: 'TERM0001',
      merchantId: 'MERCHANT0000001',
      originalStan: 203,
      amountMinor: 1000,
      advice: true,
    });
    const reply = await client.send(advice);
    expect([reply.mti, reply.get(Field.ResponseCode), reply.get(Field.OriginalDataElements)]).toEqual([
      '0430',
      '00',
      advice.get(Field.OriginalDataElements),
    ]);
    const repeat = reversal({
      terminalId: 'TERM0001',
      merchantId: 'MERCHANT0000001',
      originalStan: 204,
      advice: true,
      repeat: true,
    });
    expect(repeat.mti).toBe('0421');
    expect((await client.send(repeat)).mti).toBe('0430');
    expect(t.gates.find('000204')!.repeat).toBe(true);
  });

  it.each([
    ['an unknown terminal', 'NOSUCH01', 'ascii'],
    ['a blocked terminal', 'BLOCKED1', 'ascii'],
    ['a terminal on the wrong dialect listener', 'TERM0002', 'ascii'],
  ] as const)('answers 58 to %s without calling the handler', async (_what, terminalId, dialect) => {
    const client = await connect(dialect);
    const before = t.gates.requests.length;
    const reply = await client.send(buy(205, terminalId));
    expect([reply.mti, reply.get(Field.ResponseCode), reply.get(Field.TerminalId)]).toEqual([
      '0210',
      '58',
      terminalId,
    ]);
    expect(t.gates.requests.length).toBe(before);
  });

  it('answers 12 to an MTI no handler is registered for', async () => {
    const client = await connect();
    const request = buy(206);
    request.mti = '0100';
    const reply = await client.send(request);
    expect([reply.mti, reply.get(Field.ResponseCode)]).toEqual(['0110', '12']);
  });

  it('answers 96 when the handler throws or returns no IsoMessage, and logs the failure', async () => {
    const client = await connect();
    const thrown = await client.send(buy(207, 'TERM0001', TestProcessing.Throw));
    expect([thrown.mti, thrown.get(Field.ResponseCode), thrown.get(Field.Stan)]).toEqual([
      '0210',
      '96',
      '000207',
    ]);
    const empty = await client.send(buy(208, 'TERM0001', TestProcessing.NotAMessage));
    expect(empty.get(Field.ResponseCode)).toBe('96');
    expect(t.logs.filter((l) => l.level === 'error' && l.msg.includes('handler failed'))).toHaveLength(2);
  });

  /** A frame whose body is `body` with a correct length header. */
  const framed = (body: Buffer): Buffer => {
    const header = Buffer.alloc(2);
    header.writeUInt16BE(body.length);
    return Buffer.concat([header, body]);
  };

  it.each([
    ['ascii', 'TERM0001'],
    ['nac-bcd', 'TERM0002'],
  ] as const)(
    'answers 30 to a %s frame that breaks after its MTI and STAN were read',
    async (dialect, terminalId) => {
      const client = await connect(dialect);
      const valid = createDialect(dialect).encodeFrame(echo({ terminalId, stan: 241 }));
      // Two stray bytes after the last field: MTI, 11 and 41 decode, the frame as a whole does not.
      client.writeRaw(framed(Buffer.concat([valid.subarray(2), Buffer.from('XX')])));
      await until(() => client.unmatched.length === 1, 'the format-error reply');
      const reply = client.unmatched[0];
      expect([
        reply.mti,
        reply.get(Field.Stan),
        reply.get(Field.TerminalId),
        reply.get(Field.ResponseCode),
      ]).toEqual(['0810', '000241', terminalId, '30']);
      // The link stays usable.
      expect((await client.send(echo({ terminalId, stan: 242 }))).get(Field.ResponseCode)).toBe('00');
    },
  );

  it.each(['ascii', 'nac-bcd'] as const)(
    'takes zero-length keep-alive frames without answering or closing (%s)',
    async (dialect) => {
      const client = await connect(dialect);
      const terminalId = dialect === 'ascii' ? 'TERM0001' : 'TERM0002';
      client.writeRaw(Buffer.from([0x00, 0x00, 0x00, 0x00]));
      const reply = await client.send(echo({ terminalId, stan: 244 }));
      expect(reply.mti).toBe('0810');
      expect(reply.get(Field.ResponseCode)).toBe('00');
      client.writeRaw(Buffer.from([0x00, 0x00]));
      expect((await client.send(echo({ terminalId, stan: 245 }))).get(Field.Stan)).toBe('000245');
    },
  );

  it('closes a connection whose frame has no readable MTI, and keeps serving the others', async () => {
    const bystander = await connect();
    const offender = await connect();
    offender.writeRaw(framed(Buffer.from('ZZZZ0000000000000000')));
    await offender.closed;
    expect(t.logs.some((l) => l.msg === 'undecodable frame; closing connection')).toBe(true);
    expect((await bystander.send(echo({ terminalId: 'TERM0001', stan: 243 }))).get(Field.ResponseCode)).toBe(
      '00',
    );
  });

  describe('MAC (field 64)', () => {
    it.each(['ascii', 'nac-bcd'] as const)('accepts a good MAC and signs the reply (%s)', async (dialect) => {
      const client = await connect(dialect, MAC_KEY);
      const terminalId = dialect === 'ascii' ? 'MACT0001' : 'MACT0002';
      const exchange = await client.exchange(buy(210, terminalId));
      expect(exchange.reply.get(Field.ResponseCode)).toBe('00');
      expect(exchange.reply.has(Field.Mac)).toBe(true);
      expect(exchange.macValid).toBe(true);
    });

    // The 63 carries no MAC: a MAC under the terminal's key over text the sender chose would be an oracle.
    it.each(['ascii', 'nac-bcd'] as const)('answers 63 without a MAC to a wrong MAC, without calling the handler (%s)', async (dialect) => {
      const client = await connect(dialect, Buffer.alloc(16, 7));
      const exchange = await client.exchange(buy(dialect === 'ascii' ? 211 : 213, dialect === 'ascii' ? 'MACT0001' : 'MACT0002'));
      expect(exchange.reply.get(Field.ResponseCode)).toBe('63');
      expect(exchange.reply.has(Field.Mac)).toBe(false);
      expect(t.gates.find(dialect === 'ascii' ? '000211' : '000213')).toBeUndefined();
    });

    it('answers 63 without a MAC to a missing MAC', async () => {
      const client = await connect('ascii');
      const reply = await client.send(buy(212, 'MACT0001'));
      expect(reply.get(Field.ResponseCode)).toBe('63');
      expect(reply.has(Field.Mac)).toBe(false);
      expect(t.gates.find('000212')).toBeUndefined();
    });

    // Issue 10, point 7: a terminal with a MAC key MACs every financial, reversal and network message.
    it.each(['ascii', 'nac-bcd'] as const)(
      'asks the MAC of reversals and network messages too: unsigned ones get 63, signed ones are served (%s)',
      async (dialect) => {
        const terminalId = dialect === 'ascii' ? 'MACT0001' : 'MACT0002';
        const stan = dialect === 'ascii' ? 214 : 215;
        const advice = () =>
          reversal({ terminalId, merchantId: 'MERCHANT0000002', originalStan: stan, amountMinor: 1000, advice: true });
        const unsigned = await connect(dialect);
        for (const message of [advice(), echo({ terminalId, stan: stan + 100 })]) {
          const reply = await unsigned.send(message);
          expect([reply.mti, reply.get(Field.ResponseCode), reply.has(Field.Mac)]).toEqual([
            message.mti === '0420' ? '0430' : '0810',
            '63',
            false,
          ]);
        }
        expect(t.gates.find(String(stan).padStart(6, '0'))).toBeUndefined();

        const signed = await connect(dialect, MAC_KEY);
        for (const message of [advice(), echo({ terminalId, stan: stan + 200 })]) {
          const exchange = await signed.exchange(message);
          expect([exchange.reply.get(Field.ResponseCode), exchange.macValid]).toEqual(['00', true]);
        }
        expect(t.gates.find(String(stan).padStart(6, '0'))).toBeDefined();
      },
    );
  });

  it('keeps several requests in flight on one connection and writes replies in completion order', async () => {
    const client = await connect();
    const order: string[] = [];
    const replies = [221, 222, 223].map((stan) =>
      client.send(buy(stan, 'TERM0001', TestProcessing.Gated)).then((reply) => {
        order.push(reply.get(Field.Stan)!);
        return reply;
      }),
    );
    await until(
      () => ['000221', '000222', '000223'].every((s) => t.gates.find(s)),
      'three gated requests in handlers',
    );
    t.gates.open('000223');
    await until(() => order.length === 1, 'first reply');
    t.gates.open('000221');
    await until(() => order.length === 2, 'second reply');
    t.gates.open('000222');
    await Promise.all(replies);
    expect(order).toEqual(['000223', '000221', '000222']);
  });

  it('drops a reply ready after the merchant deadline: not written, delivery resolves false', async () => {
    const client = await connect();
    let answered = false;
    const late = client.send(buy(231, 'SHORT001', TestProcessing.Gated)).then(
      () => (answered = true),
      (err: unknown) => err,
    );
    await until(() => t.gates.find('000231') !== undefined, 'gated request in handler');
    const request = t.gates.find('000231')!;
    await expect(request.delivery).resolves.toBe(false);
    t.gates.open('000231');
    // The connection still works, and what comes back is only the echo's reply.
    const echoed = await client.send(echo({ terminalId: 'TERM0001', stan: 232 }));
    expect(echoed.get(Field.ResponseCode)).toBe('00');
    expect(answered).toBe(false);
    expect(client.unmatched).toHaveLength(0);
    expect(t.logs.some((l) => l.level === 'warn' && l.msg.includes('deadline'))).toBe(true);
    await client.close();
    expect(await late).toBeInstanceOf(PosConnectionClosedError);
  });
});
