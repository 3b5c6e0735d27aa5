import { Field, IsoMessage, type FieldValue } from '@switch/iso8583';
import { baseMti } from './iso-patterns';

/** ISO 8583 field 39 codes this switch answers with. The domain never sees these; the ISO edge maps to them. */
export const ResponseCode = {
  Approved: '00',
  Declined: '05',
  InvalidTransaction: '12',
  InvalidAmount: '13',
  InvalidPaymentCode: '14',
  OriginalNotFound: '25',
  FormatError: '30',
  InsufficientBalance: '51',
  ExpiredCode: '54',
  UserVerificationFailed: '55',
  NotPermittedToTerminal: '58',
  RiskRejected: '59',
  AmountLimit: '61',
  MacFailure: '63',
  CountLimit: '65',
  AlipayUnavailable: '91',
  Duplicate: '94',
  SystemError: '96',
} as const;

export type ResponseCodeValue = (typeof ResponseCode)[keyof typeof ResponseCode];

/** Fields a reply carries back unchanged so the terminal can match it to its request. */
const ECHOED_FIELDS: readonly number[] = [
  Field.ProcessingCode,
  Field.AmountTransaction,
  Field.Stan,
  Field.LocalTime,
  Field.LocalDate,
  Field.TerminalId,
  Field.MerchantId,
  Field.CurrencyCode,
  Field.NetworkManagementCode,
  Field.OriginalDataElements,
];

/** The response MTI for a request MTI: class +10 with the repeat digit cleared (0201 -> 0210, 0421 -> 0430). */
export function replyMti(requestMti: string): string {
  const base = baseMti(requestMti);
  const responseDigit = (Number(base[2]) + 1) % 10;
  return `${base.slice(0, 2)}${responseDigit}${base[3] ?? '0'}`;
}

/**
 * A reply to `request`: MTI +10 with the repeat digit cleared; echoes 3, 4, 11, 12, 13, 41, 42, 49 (and 70, 90
 * when present); sets 39 to `responseCode`; then applies `extra` (which may override anything echoed).
 */
export function replyTo(request: IsoMessage, responseCode: string, extra?: Record<number, FieldValue>): IsoMessage {
  const reply = new IsoMessage(replyMti(request.mti));
  for (const field of ECHOED_FIELDS) {
    const value = fieldValue(request, field);
    if (value !== undefined) reply.set(field, value);
  }
  reply.set(Field.ResponseCode, responseCode);
  if (extra) {
    for (const [key, value] of Object.entries(extra)) reply.set(Number(key), value);
  }
  return reply;
}

/** A field's value whatever its type (`get` throws on bytes and `getBinary` on text). */
function fieldValue(message: IsoMessage, field: number): FieldValue | undefined {
  if (!message.has(field)) return undefined;
  try {
    return message.get(field);
  } catch {
    return message.getBinary(field);
  }
}
