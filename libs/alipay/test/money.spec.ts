import { CURRENCIES, currencyByAlpha, currencyByNumeric, formatMajor, MoneyFormatError, parseMajorToMinor } from '../src/money';

describe('currency table', () => {
  it.each([
    ['840', 'USD', 2],
    ['156', 'CNY', 2],
    ['344', 'HKD', 2],
    ['392', 'JPY', 0],
    ['410', 'KRW', 0],
    ['702', 'SGD', 2],
    ['978', 'EUR', 2],
    ['826', 'GBP', 2],
    ['458', 'MYR', 2],
    ['764', 'THB', 2],
    ['446', 'MOP', 2],
    ['901', 'TWD', 2],
    ['608', 'PHP', 2],
    ['360', 'IDR', 2],
    ['036', 'AUD', 2],
    ['554', 'NZD', 2],
  ])('%s is %s with exponent %d', (numeric, alpha, exponent) => {
    expect(currencyByNumeric(numeric)).toEqual({ alpha, numeric, exponent });
    expect(currencyByAlpha(alpha)).toEqual({ alpha, numeric, exponent });
  });

  it('accepts numeric codes without leading zeros and as numbers; rejects unknown ones', () => {
    expect(currencyByNumeric(36)?.alpha).toBe('AUD');
    expect(currencyByNumeric('36')?.alpha).toBe('AUD');
    expect(currencyByNumeric('999')).toBeUndefined();
    expect(currencyByNumeric('84a')).toBeUndefined();
    expect(currencyByNumeric('0840')).toBeUndefined();
    expect(currencyByAlpha('usd')?.numeric).toBe('840');
    expect(currencyByAlpha('XXX')).toBeUndefined();
    expect(CURRENCIES).toHaveLength(16);
  });
});

describe('formatMajor', () => {
  it.each([
    [12345, 'USD', '123.45'],
    [5, 'USD', '0.05'],
    [50, 'CNY', '0.50'],
    [0, 'CNY', '0.00'],
    [100, 'HKD', '1.00'],
    [1000, 'JPY', '1000'],
    [7, 'KRW', '7'],
    [-250, 'USD', '-2.50'],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
    [12345678901234567890n, 'USD', '123456789012345678.90'],
  ])('%p %s -> %s', (minor, currency, expected) => {
    expect(formatMajor(minor, currency)).toBe(expected);
  });

  it('refuses non-integers and unknown currencies with a typed error', () => {
    expect(() => formatMajor(1.5, 'USD')).toThrow(MoneyFormatError);
    expect(() => formatMajor(Number.NaN, 'USD')).toThrow(MoneyFormatError);
    expect(() => formatMajor(100, 'XXX')).toThrow(/unsupported currency/);
  });
});

describe('parseMajorToMinor', () => {
  it.each([
    ['123.45', 'USD', 12345],
    ['0.5', 'USD', 50],
    ['1', 'USD', 100],
    ['0.01', 'CNY', 1],
    ['1000', 'JPY', 1000],
    ['1000.00', 'JPY', 1000],
    ['1.10', 'USD', 110],
    ['1.100', 'USD', 110],
    ['-2.50', 'USD', -250],
  ])('%s %s -> %d', (major, currency, expected) => {
    expect(parseMajorToMinor(major, currency)).toBe(expected);
  });

  it('refuses precision it would lose, junk and overflow', () => {
    expect(() => parseMajorToMinor('1.005', 'USD')).toThrow(MoneyFormatError);
    expect(() => parseMajorToMinor('10.5', 'JPY')).toThrow(MoneyFormatError);
    expect(() => parseMajorToMinor('1e3', 'USD')).toThrow(MoneyFormatError);
    expect(() => parseMajorToMinor('', 'USD')).toThrow(MoneyFormatError);
    expect(() => parseMajorToMinor('1.', 'USD')).toThrow(MoneyFormatError);
    expect(() => parseMajorToMinor('99999999999999999.99', 'USD')).toThrow(/out of range/);
  });

  it('round-trips every amount formatMajor prints (no float ever involved)', () => {
    for (const c of CURRENCIES) {
      for (const minor of [0, 1, 9, 10, 99, 100, 101, 12345, 999999999, 4503599627370497]) {
        expect(parseMajorToMinor(formatMajor(minor, c.alpha), c.alpha)).toBe(minor);
      }
    }
  });
});
