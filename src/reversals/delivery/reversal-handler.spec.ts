import { asciiDialect, Field, IsoMessage, nacBcdDialect, type FieldValue } from '@switch/iso8583';
import type { IsoRequest } from '../../terminal/iso-request';
import { silentReversalsLog } from '../application/ports/reversals-log.port';
import type { ReversalCommand, ReversalOutcome, ReversalService } from '../application/reversal.service';
import { parseReversalRequest } from './reversal-request';
import { ReversalHandler } from './reversal-handler';

const MERCHANT = 'MERCHANT0000001';
const RECEIVED = new Date('2025-01-15T10:00:05.000Z');

function request(fields: Record<number, FieldValue | undefined>, mti = '0420'): IsoRequest {
  const base: Record<number, FieldValue> = {
    [Field.ProcessingCode]: '000000',
    [Field.AmountTransaction]: '000000001250',
    [Field.Stan]: '000123',
    [Field.LocalTime]: '100005',
    [Field.LocalDate]: '0115',
    [Field.TerminalId]: 'TERM0001',
    [Field.MerchantId]: MERCHANT,
    [Field.CurrencyCode]: '840',
    [Field.OriginalDataElements]: `0200000123011509595800000000000${'0'.repeat(11)}`,
  };
  const message = new IsoMessage(mti);
  for (const [key, value] of Object.entries({ ...base, ...fields }))
    if (value !== undefined) message.set(Number(key), value);
  return {
    message,
    terminal: {
      terminalId: 'TERM0001',
      merchantId: MERCHANT,
      dialect: 'ascii',
      status: 'active',
      merchantTimeoutMs: 60_000,
    },
    dialect: 'ascii',
    receivedAt: RECEIVED,
    deadlineAt: RECEIVED.getTime() + 60_000,
    repeat: mti.endsWith('1'),
    connectionId: 'conn-1',
    delivery: Promise.resolve(true),
  };
}

describe('parseReversalRequest', () => {
  it('reads field 90 as the original MTI, STAN and date/time', () => {
    expect(parseReversalRequest(request({}))).toEqual({
      kind: 'reversal',
      command: {
        terminalId: 'TERM0001',
        merchantId: MERCHANT,
        reversalMti: '0420',
        stan: '000123',
        original: { mti: '0200', stan: '000123', localDateTime: '0115095958' },
        localDateTime: '0115100005',
        amountMinor: 1250,
        currencyNumeric: '840',
        receivedAt: RECEIVED,
      },
    });
  });

  it('treats an all-zero original date/time as unknown, and a missing 90 as the legacy convention', () => {
    const zeros = parseReversalRequest(
      request({ [Field.OriginalDataElements]: `0200000123${'0'.repeat(32)}` }, '0421'),
    );
    expect(zeros.kind === 'reversal' && zeros.command).toMatchObject({
      reversalMti: '0420',
      original: { mti: '0200', stan: '000123' },
    });
    expect(zeros.kind === 'reversal' && zeros.command.original).not.toHaveProperty('localDateTime');
    const legacy = parseReversalRequest(
      request({ [Field.OriginalDataElements]: undefined, [Field.AmountTransaction]: undefined }, '0400'),
    );
    expect(legacy.kind === 'reversal' && legacy.command).toMatchObject({
      reversalMti: '0400',
      stan: '000123',
    });
    expect(legacy.kind === 'reversal' && legacy.command).not.toHaveProperty('original');
  });

  it.each<[string, Record<number, FieldValue | undefined>, string]>([
    ['no STAN', { [Field.Stan]: undefined }, 'format'],
    ['a malformed 90', { [Field.OriginalDataElements]: `0800${'0'.repeat(38)}` }, 'format'],
    ['a bad local time', { [Field.LocalTime]: '250000' }, 'format'],
    ['a non-numeric amount', { [Field.AmountTransaction]: '00000000012A' }, 'format'],
    ['another merchant', { [Field.MerchantId]: 'MERCHANT0000002' }, 'merchant-mismatch'],
  ])('rejects %s', (_label, fields, problem) => {
    expect(parseReversalRequest(request(fields))).toEqual({ kind: 'rejected', problem });
  });
});

describe('ReversalHandler', () => {
  const handlerAnswering = (answer: ReversalOutcome | Error) => {
    const seen: ReversalCommand[] = [];
    const service = {
      reverse: async (command: ReversalCommand) => {
        seen.push(command);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    } as unknown as ReversalService;
    return { handler: new ReversalHandler(service, silentReversalsLog), seen };
  };

  it.each<[ReversalOutcome, string, string]>([
    [{ kind: 'accepted', paymentId: 'p1', repeat: false }, '00', 'Reversal accepted'],
    [{ kind: 'accepted', paymentId: 'p1', repeat: true }, '00', 'Reversal accepted'],
    [{ kind: 'nothing-to-cancel', paymentId: 'p1' }, '00', 'Original declined'],
    [{ kind: 'stored-early', repeat: false }, '00', 'Reversal stored'],
    [{ kind: 'not-reversible' }, '12', 'Invalid transaction'],
  ])('answers %o with %s', async (outcome, code, text) => {
    const reply = await handlerAnswering(outcome).handler.handle(request({}));
    expect([reply.mti, reply.get(Field.ResponseCode), reply.get(Field.AdditionalResponseData)]).toEqual([
      '0430',
      code,
      text,
    ]);
  });

  it('echoes 4, 11, 41, 42, 49 and 90, answers 0400 with 0410, and encodes in both dialects', async () => {
    const reply = await handlerAnswering({ kind: 'accepted', paymentId: 'p1', repeat: false }).handler.handle(
      request({}, '0401'),
    );
    expect(reply.mti).toBe('0410');
    for (const field of [
      Field.AmountTransaction,
      Field.Stan,
      Field.TerminalId,
      Field.MerchantId,
      Field.CurrencyCode,
      Field.OriginalDataElements,
    ]) {
      expect(reply.get(field)).toBe(request({}).message.get(field));
    }
    expect(() => asciiDialect.encodeFrame(reply)).not.toThrow();
    expect(() => nacBcdDialect.encodeFrame(reply, { tpdu: Buffer.from('6000010000', 'hex') })).not.toThrow();
  });

  it('answers 30, 58 and 96 without storing anything', async () => {
    const { handler, seen } = handlerAnswering(new Error('database went away'));
    expect(
      (await handler.handle(request({ [Field.OriginalDataElements]: `0800${'0'.repeat(38)}` }))).get(
        Field.ResponseCode,
      ),
    ).toBe('30');
    expect(
      (await handler.handle(request({ [Field.MerchantId]: 'MERCHANT0000002' }))).get(Field.ResponseCode),
    ).toBe('58');
    expect(seen).toEqual([]);
    expect((await handler.handle(request({}))).get(Field.ResponseCode)).toBe('96');
  });
});
