// Amounts cross the wire in two shapes: AMS wants minor units as a string, Open Platform and MAPI want
// major units with a decimal point. Conversion is string arithmetic so no float ever touches an amount.

export interface CurrencyInfo {
  alpha: string;
  /** ISO 4217 numeric, three digits (ISO 8583 field 49 carries this). */
  numeric: string;
  /** Digits after the decimal point in major units. */
  exponent: number;
}

const TABLE: readonly CurrencyInfo[] = [
  { alpha: 'USD', numeric: '840', exponent: 2 },
  { alpha: 'CNY', numeric: '156', exponent: 2 },
  { alpha: 'HKD', numeric: '344', exponent: 2 },
  { alpha: 'JPY', numeric: '392', exponent: 0 },
  { alpha: 'KRW', numeric: '410', exponent: 0 },
  { alpha: 'SGD', numeric: '702', exponent: 2 },
  { alpha: 'EUR', numeric: '978', exponent: 2 },
  { alpha: 'GBP', numeric: '826', exponent: 2 },
  { alpha: 'MYR', numeric: '458', exponent: 2 },
  { alpha: 'THB', numeric: '764', exponent: 2 },
  { alpha: 'MOP', numeric: '446', exponent: 2 },
  { alpha: 'TWD', numeric: '901', exponent: 2 },
  { alpha: 'PHP', numeric: '608', exponent: 2 },
  { alpha: 'IDR', numeric: '360', exponent: 2 },
  { alpha: 'AUD', numeric: '036', exponent: 2 },
  { alpha: 'NZD', numeric: '554', exponent: 2 },
].map((c) => Object.freeze(c));

const BY_ALPHA = new Map(TABLE.map((c) => [c.alpha, c]));
const BY_NUMERIC = new Map(TABLE.map((c) => [c.numeric, c]));

export const CURRENCIES: readonly CurrencyInfo[] = Object.freeze(TABLE);

export class MoneyFormatError extends Error {
  readonly code = 'ALIPAY.MONEY_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'MoneyFormatError';
  }
}

/** 'usd' or 'USD' -> the currency; undefined when not in the table. */
export function currencyByAlpha(alpha: string): CurrencyInfo | undefined {
  return BY_ALPHA.get(String(alpha).toUpperCase());
}

/** '840', '36' or 36 -> the currency; undefined when not in the table. */
export function currencyByNumeric(code: string | number): CurrencyInfo | undefined {
  const text = String(code).trim();
  if (!/^\d{1,3}$/.test(text)) return undefined;
  return BY_NUMERIC.get(text.padStart(3, '0'));
}

function exponentOf(currency: string): number {
  const info = currencyByAlpha(currency);
  if (!info) throw new MoneyFormatError(`unsupported currency ${JSON.stringify(String(currency).slice(0, 8))}`);
  return info.exponent;
}

/** 12345 USD -> "123.45"; 1000 JPY -> "1000"; 5 USD -> "0.05". Integer minor units only. */
export function formatMajor(amountMinor: number | bigint, currency: string): string {
  const exponent = exponentOf(currency);
  if (typeof amountMinor === 'number' && !Number.isSafeInteger(amountMinor)) {
    throw new MoneyFormatError('amountMinor must be a safe integer');
  }
  const value = BigInt(amountMinor);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * "123.45" USD -> 12345; "1000" JPY -> 1000; "0.5" USD -> 50. Extra fraction digits are accepted only
 * when they are zeros ("1000.00" JPY), because some gateways print every amount with two decimals.
 */
export function parseMajorToMinor(major: string, currency: string): number {
  const exponent = exponentOf(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(major).trim());
  if (!match) throw new MoneyFormatError('amount is not a decimal number');
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent && /[^0]/.test(fraction.slice(exponent))) {
    throw new MoneyFormatError(`amount has more than ${exponent} decimals`);
  }
  const minorText = whole + fraction.slice(0, exponent).padEnd(exponent, '0');
  const minor = Number(BigInt(minorText));
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError('amount out of range');
  return sign === '-' && minor !== 0 ? -minor : minor;
}
