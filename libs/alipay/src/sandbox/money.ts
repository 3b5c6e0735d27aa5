// Amounts on the wire of the form protocols are decimal strings in major units ("12.34"); the ledger
// keeps integer minor units. Conversion is pure string work: no floating point ever touches an amount.

const NO_DECIMALS = new Set('BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
const THREE_DECIMALS = new Set('BHD IQD JOD KWD LYD OMR TND'.split(' '));

/** ISO 4217 minor-unit digits (2 unless listed). */
export function currencyExponent(currency: string): number {
  const alpha = currency.toUpperCase();
  if (NO_DECIMALS.has(alpha)) return 0;
  return THREE_DECIMALS.has(alpha) ? 3 : 2;
}

/** "12.34" -> 1234 (exponent 2); undefined for anything malformed, negative or with too many decimals. */
export function majorToMinor(text: string, exponent: number): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  return Number(match[1] + fraction.padEnd(exponent, '0'));
}

/** 1234 -> "12.34" (exponent 2); 1000 -> "1000" (exponent 0). */
export function minorToMajor(amountMinor: number, exponent: number): string {
  const digits = String(amountMinor).padStart(exponent + 1, '0');
  if (exponent === 0) return digits;
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** AMS carries minor units as a decimal-digit string ("1000"). */
export function parseMinorString(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
