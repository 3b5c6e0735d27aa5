import { Field, createDialect } from '@switch/iso8583';
import {
  echo,
  formatAmount,
  formatStan,
  inquiry,
  originalDataElements,
  purchase,
  refund,
  reversal,
  signOn,
  transmissionDateTime,
} from '../../../tools/pos/messages';
import { responseMtiOf } from '../../../tools/pos/pos-client';

const at = new Date('2025-12-31T23:58:07Z');
const who = { terminalId: 'TERM0001', merchantId: 'MERCHANT0000001' };

describe('POS message builders (the field layout the payments handlers read)', () => {
  it('builds a purchase: 3=000000, 4 n12, 7, 11, 12, 13, 41, 42, 48, 49', () => {
    const m = purchase({ ...who, stan: 42, amountMinor: 1000, paymentCode: '281234567890123456', at });
    expect(m.mti).toBe('0200');
    expect(m.fieldNumbers()).toEqual([3, 4, 7, 11, 12, 13, 41, 42, 48, 49]);
    expect([m.get(3), m.get(4), m.get(7), m.get(11), m.get(12), m.get(13), m.get(48), m.get(49)]).toEqual([
      '000000',
      '000000001000',
      '1231235807',
      '000042',
      '235807',
      '1231',
      '281234567890123456',
      '840',
    ]);
  });

  it('builds refund and inquiry with the original RRN in 37', () => {
    const r = refund({ ...who, stan: 1, amountMinor: 500n, originalRrn: '123456789012', originalStan: 42, currency: '156', at });
    expect([r.get(3), r.get(4), r.get(37), r.get(49)]).toEqual(['200000', '000000000500', '123456789012', '156']);
    expect(r.get(90)).toBe(`0200000042${'0'.repeat(10)}${'0'.repeat(22)}`);
    const q = inquiry({ ...who, stan: 2, originalRrn: '123456789012', at });
    expect([q.get(3), q.get(37), q.has(4), q.has(48)]).toEqual(['310000', '123456789012', false, false]);
  });

  it('builds reversals and advices with the original STAN in 11 and 90 (n42)', () => {
    const advice = reversal({ ...who, originalStan: 42, amountMinor: 1000, advice: true, originalTransmission: '1231235800', at });
    expect(advice.mti).toBe('0420');
    expect(advice.get(Field.Stan)).toBe('000042');
    expect(advice.get(90)).toBe(`02000000421231235800${'0'.repeat(22)}`);
    expect(advice.get(90)).toHaveLength(42);
    expect(reversal({ ...who, originalStan: 42 }).mti).toBe('0400');
    expect(reversal({ ...who, originalStan: 42, repeat: true }).mti).toBe('0401');
    expect(reversal({ ...who, originalStan: 42, advice: true, repeat: true }).mti).toBe('0421');
    expect(reversal({ ...who, originalStan: 42 }).has(4)).toBe(false);
  });

  it('builds 0800s with 7, 11, 41, 70', () => {
    const m = signOn({ terminalId: 'TERM0001', stan: 7, at });
    expect(m.fieldNumbers()).toEqual([7, 11, 41, 70]);
    expect(echo({ terminalId: 'TERM0001', stan: 8 }).get(70)).toBe('301');
  });

  it.each(['ascii', 'nac-bcd'] as const)('produces messages the %s dialect encodes and decodes unchanged', (dialectName) => {
    const dialect = createDialect(dialectName);
    for (const m of [
      purchase({ ...who, stan: 42, amountMinor: 1000, paymentCode: '281234567890123456', at }),
      refund({ ...who, stan: 43, amountMinor: 1, originalRrn: '123456789012', originalStan: 42, at }),
      inquiry({ ...who, stan: 44, originalRrn: '123456789012', at }),
      reversal({ ...who, originalStan: 42, amountMinor: 1000, advice: true, repeat: true, at }),
      signOn({ terminalId: 'TERM0001', stan: 45, at }),
    ]) {
      const decoded = dialect.decodeFrame(dialect.encodeFrame(m).subarray(2)).message;
      expect(decoded.mti).toBe(m.mti);
      for (const f of m.fieldNumbers()) expect(decoded.get(f)).toBe(m.get(f));
    }
  });

  it('keeps amounts integral and STANs six digits', () => {
    expect(formatAmount(0)).toBe('000000000000');
    expect(formatAmount(999_999_999_999n)).toBe('999999999999');
    expect(() => formatAmount(10.5)).toThrow(RangeError);
    expect(() => formatAmount(-1)).toThrow(RangeError);
    expect(() => formatAmount(1_000_000_000_000n)).toThrow(RangeError);
    expect(formatStan(7)).toBe('000007');
    expect(() => formatStan(1_000_000)).toThrow(RangeError);
    expect(() => originalDataElements('200', 1, '0000000000')).toThrow(RangeError);
    expect(transmissionDateTime(new Date('2025-01-02T03:04:05Z'))).toBe('0102030405');
  });

  it('maps request MTIs to the reply MTIs the client matches on', () => {
    expect(['0200', '0201', '0400', '0421', '0800'].map(responseMtiOf)).toEqual(['0210', '0210', '0410', '0430', '0810']);
  });
});
