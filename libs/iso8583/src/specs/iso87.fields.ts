import type { FieldType } from '../field/field-spec';

export type LengthFormat = 'fixed' | 'LL' | 'LLL';

/** One data element of ISO 8583:1987, as this switch enforces it, before any dialect chooses bytes. */
export interface Iso87Field {
  readonly description: string;
  readonly type: FieldType;
  /** Exact length (fixed) or maximum (LL/LLL); bytes for `b`. */
  readonly length: number;
  readonly format: LengthFormat;
  /**
   * The standard's notation where the enforced type is looser. Text the standard calls `an` is
   * accepted as `ans` because terminals put spaces and punctuation in it and neither reference
   * implementation (jPOS, iso_8583) rejects them; `x+n` amounts are enforced as `an`.
   */
  readonly iso?: string;
}

function el(
  type: FieldType,
  length: number,
  format: LengthFormat,
  description: string,
  iso?: string,
): Iso87Field {
  return Object.freeze(
    iso === undefined ? { description, type, length, format } : { description, type, length, format, iso },
  );
}

const range = (from: number, to: number, make: (n: number) => Iso87Field): Array<[number, Iso87Field]> =>
  Array.from({ length: to - from + 1 }, (_, i) => [from + i, make(from + i)]);

/**
 * Fields 2-128 except 65 (the tertiary bitmap flag, which neither dialect supports). Field 1 is the
 * secondary bitmap and is handled by the codec, not as data.
 */
const ENTRIES: Array<[number, Iso87Field]> = [
  [2, el('n', 19, 'LL', 'Primary account number (PAN)')],
  [3, el('n', 6, 'fixed', 'Processing code')],
  [4, el('n', 12, 'fixed', 'Amount, transaction')],
  [5, el('n', 12, 'fixed', 'Amount, settlement')],
  [6, el('n', 12, 'fixed', 'Amount, cardholder billing')],
  [7, el('n', 10, 'fixed', 'Transmission date and time (MMDDhhmmss)')],
  [8, el('n', 8, 'fixed', 'Amount, cardholder billing fee')],
  [9, el('n', 8, 'fixed', 'Conversion rate, settlement')],
  [10, el('n', 8, 'fixed', 'Conversion rate, cardholder billing')],
  [11, el('n', 6, 'fixed', 'System trace audit number (STAN)')],
  [12, el('n', 6, 'fixed', 'Time, local transaction (hhmmss)')],
  [13, el('n', 4, 'fixed', 'Date, local transaction (MMDD)')],
  [14, el('n', 4, 'fixed', 'Date, expiration (YYMM)')],
  [15, el('n', 4, 'fixed', 'Date, settlement (MMDD)')],
  [16, el('n', 4, 'fixed', 'Date, conversion (MMDD)')],
  [17, el('n', 4, 'fixed', 'Date, capture (MMDD)')],
  [18, el('n', 4, 'fixed', 'Merchant type')],
  [19, el('n', 3, 'fixed', 'Acquiring institution country code')],
  [20, el('n', 3, 'fixed', 'PAN extended, country code')],
  [21, el('n', 3, 'fixed', 'Forwarding institution country code')],
  [22, el('n', 3, 'fixed', 'Point of service entry mode')],
  [23, el('n', 3, 'fixed', 'Card sequence number')],
  [24, el('n', 3, 'fixed', 'Network international identifier (NII)')],
  [25, el('n', 2, 'fixed', 'Point of service condition code')],
  [26, el('n', 2, 'fixed', 'Point of service PIN capture code')],
  [27, el('n', 1, 'fixed', 'Authorization identification response length')],
  [28, el('an', 9, 'fixed', 'Amount, transaction fee', 'x+n 8')],
  [29, el('an', 9, 'fixed', 'Amount, settlement fee', 'x+n 8')],
  [30, el('an', 9, 'fixed', 'Amount, transaction processing fee', 'x+n 8')],
  [31, el('an', 9, 'fixed', 'Amount, settlement processing fee', 'x+n 8')],
  [32, el('n', 11, 'LL', 'Acquiring institution identification code')],
  [33, el('n', 11, 'LL', 'Forwarding institution identification code')],
  [34, el('ans', 28, 'LL', 'PAN, extended', 'ns ..28')],
  [35, el('z', 37, 'LL', 'Track 2 data')],
  [36, el('n', 104, 'LLL', 'Track 3 data')],
  [37, el('ans', 12, 'fixed', 'Retrieval reference number', 'an 12')],
  [38, el('ans', 6, 'fixed', 'Authorization identification response', 'an 6')],
  [39, el('an', 2, 'fixed', 'Response code')],
  [40, el('ans', 3, 'fixed', 'Service restriction code', 'an 3')],
  [41, el('ans', 8, 'fixed', 'Card acceptor terminal identification')],
  [42, el('ans', 15, 'fixed', 'Card acceptor identification code')],
  [43, el('ans', 40, 'fixed', 'Card acceptor name/location')],
  [44, el('ans', 25, 'LL', 'Additional response data', 'an ..25')],
  [45, el('ans', 76, 'LL', 'Track 1 data', 'an ..76')],
  [46, el('ans', 999, 'LLL', 'Additional data - ISO', 'an ..999')],
  [47, el('ans', 999, 'LLL', 'Additional data - national', 'an ..999')],
  [48, el('ans', 999, 'LLL', 'Additional data - private', 'an ..999')],
  [49, el('an', 3, 'fixed', 'Currency code, transaction', 'a or n 3')],
  [50, el('an', 3, 'fixed', 'Currency code, settlement', 'a or n 3')],
  [51, el('an', 3, 'fixed', 'Currency code, cardholder billing', 'a or n 3')],
  [52, el('b', 8, 'fixed', 'Personal identification number (PIN) data')],
  [53, el('n', 16, 'fixed', 'Security related control information')],
  [54, el('ans', 120, 'LLL', 'Additional amounts', 'an ..120')],
  [55, el('b', 999, 'LLL', 'Reserved ISO: ICC (EMV) data', 'ans ..999')],
  [56, el('ans', 999, 'LLL', 'Reserved ISO')],
  ...range(57, 59, () => el('ans', 999, 'LLL', 'Reserved national')),
  [60, el('ans', 999, 'LLL', 'Reserved national')],
  [61, el('ans', 999, 'LLL', 'Reserved private')],
  [62, el('ans', 999, 'LLL', 'Reserved private')],
  [63, el('ans', 999, 'LLL', 'Reserved private')],
  [64, el('b', 8, 'fixed', 'Message authentication code (MAC)')],
  [66, el('n', 1, 'fixed', 'Settlement code')],
  [67, el('n', 2, 'fixed', 'Extended payment code')],
  [68, el('n', 3, 'fixed', 'Receiving institution country code')],
  [69, el('n', 3, 'fixed', 'Settlement institution country code')],
  [70, el('n', 3, 'fixed', 'Network management information code')],
  [71, el('n', 4, 'fixed', 'Message number')],
  [72, el('n', 4, 'fixed', 'Message number, last')],
  [73, el('n', 6, 'fixed', 'Date, action (YYMMDD)')],
  [74, el('n', 10, 'fixed', 'Credits, number')],
  [75, el('n', 10, 'fixed', 'Credits, reversal number')],
  [76, el('n', 10, 'fixed', 'Debits, number')],
  [77, el('n', 10, 'fixed', 'Debits, reversal number')],
  [78, el('n', 10, 'fixed', 'Transfer, number')],
  [79, el('n', 10, 'fixed', 'Transfer, reversal number')],
  [80, el('n', 10, 'fixed', 'Inquiries, number')],
  [81, el('n', 10, 'fixed', 'Authorizations, number')],
  [82, el('n', 12, 'fixed', 'Credits, processing fee amount')],
  [83, el('n', 12, 'fixed', 'Credits, transaction fee amount')],
  [84, el('n', 12, 'fixed', 'Debits, processing fee amount')],
  [85, el('n', 12, 'fixed', 'Debits, transaction fee amount')],
  [86, el('n', 16, 'fixed', 'Credits, amount')],
  [87, el('n', 16, 'fixed', 'Credits, reversal amount')],
  [88, el('n', 16, 'fixed', 'Debits, amount')],
  [89, el('n', 16, 'fixed', 'Debits, reversal amount')],
  [90, el('n', 42, 'fixed', 'Original data elements (MTI, STAN, date/time, acquirer, forwarder)')],
  [91, el('ans', 1, 'fixed', 'File update code', 'an 1')],
  [92, el('ans', 2, 'fixed', 'File security code', 'an 2')],
  [93, el('ans', 5, 'fixed', 'Response indicator', 'an 5')],
  [94, el('ans', 7, 'fixed', 'Service indicator', 'an 7')],
  [95, el('ans', 42, 'fixed', 'Replacement amounts', 'an 42')],
  [96, el('b', 8, 'fixed', 'Message security code')],
  [97, el('an', 17, 'fixed', 'Amount, net settlement', 'x+n 16')],
  [98, el('ans', 25, 'fixed', 'Payee')],
  [99, el('n', 11, 'LL', 'Settlement institution identification code')],
  [100, el('n', 11, 'LL', 'Receiving institution identification code')],
  [101, el('ans', 17, 'LL', 'File name')],
  [102, el('ans', 28, 'LL', 'Account identification 1')],
  [103, el('ans', 28, 'LL', 'Account identification 2')],
  [104, el('ans', 100, 'LLL', 'Transaction description')],
  ...range(105, 111, () => el('ans', 999, 'LLL', 'Reserved ISO')),
  ...range(112, 119, () => el('ans', 999, 'LLL', 'Reserved national')),
  ...range(120, 127, () => el('ans', 999, 'LLL', 'Reserved private')),
  [128, el('b', 8, 'fixed', 'Message authentication code (MAC), secondary')],
];

export const ISO87_FIELDS: Readonly<Record<number, Iso87Field>> = Object.freeze(Object.fromEntries(ENTRIES));
