import { Field, IsoMessage } from '@switch/iso8583';
import { ResponseCode, replyMti, replyTo } from './iso-reply';

describe('replyMti', () => {
  it.each([
    ['0100', '0110'],
    ['0200', '0210'],
    ['0201', '0210'],
    ['0400', '0410'],
    ['0401', '0410'],
    ['0420', '0430'],
    ['0421', '0430'],
    ['0800', '0810'],
  ])('%s -> %s', (request, reply) => {
    expect(replyMti(request)).toBe(reply);
  });
});

describe('replyTo', () => {
  const request = new IsoMessage('0201', {
    [Field.ProcessingCode]: '000000',
    [Field.AmountTransaction]: '000000001000',
    [Field.Stan]: '000123',
    [Field.LocalTime]: '101112',
    [Field.LocalDate]: '0102',
    [Field.Rrn]: '999999999999',
    [Field.TerminalId]: 'TERM0001',
    [Field.MerchantId]: 'MERCHANT0000001',
    [Field.AdditionalDataPrivate]: '281234567890123456',
    [Field.CurrencyCode]: '840',
  });

  it('echoes the matching fields, sets 39, and leaves the payment code and RRN out', () => {
    const reply = replyTo(request, ResponseCode.Approved);
    expect(reply.mti).toBe('0210');
    expect(reply.fieldNumbers()).toEqual([3, 4, 11, 12, 13, 39, 41, 42, 49]);
    expect(reply.get(Field.ResponseCode)).toBe('00');
    expect(reply.get(Field.Stan)).toBe('000123');
    expect(reply.has(Field.AdditionalDataPrivate)).toBe(false);
  });

  it('echoes 70 and 90 when present and applies extra fields last', () => {
    const advice = new IsoMessage('0421', {
      [Field.Stan]: '000007',
      [Field.TerminalId]: 'TERM0001',
      [Field.OriginalDataElements]: '020000000701020304050000000000000000000000',
    });
    const reply = replyTo(advice, ResponseCode.SystemError, { [Field.Rrn]: '123456789012', [Field.Stan]: '000008' });
    expect(reply.mti).toBe('0430');
    expect(reply.get(Field.OriginalDataElements)).toBe(advice.get(Field.OriginalDataElements));
    expect(reply.get(Field.Rrn)).toBe('123456789012');
    expect(reply.get(Field.Stan)).toBe('000008');
    expect(reply.get(Field.ResponseCode)).toBe('96');
    const network = replyTo(new IsoMessage('0800', { [Field.Stan]: '000001', [Field.NetworkManagementCode]: '301' }), '00');
    expect(network.get(Field.NetworkManagementCode)).toBe('301');
  });

  it('does not change the request', () => {
    const before = request.fieldNumbers();
    replyTo(request, ResponseCode.Declined);
    expect(request.fieldNumbers()).toEqual(before);
    expect(request.has(Field.ResponseCode)).toBe(false);
  });
});
