import { randomInt } from 'node:crypto';
import { Field, IsoMessage } from '@switch/iso8583';

/**
 * Builders for the messages an EFT POS sends this switch. The field layout here is the contract the payments
 * handlers read: 0200 with 3 (000000 purchase, 200000 refund, 310000 inquiry), 4 (n12 minor units), 7, 11, 12, 13,
 * 41, 42, 48 (payment code), 49 (ISO 4217 numeric); refund and inquiry carry 37 (the original RRN); 0400/0420
 * carry 11 = the ORIGINAL STAN and 90 (original data elements). All times are UTC.
 */

export const ProcessingCode = {
  Purchase: '000000',
  Refund: '200000',
  Inquiry: '310000',
} as const;

export const NetworkCode = {
  SignOn: '001',
  SignOff: '002',
  Echo: '301',
} as const;
export type NetworkCodeValue = (typeof NetworkCode)[keyof typeof NetworkCode];


export interface TerminalIdentity {
  terminalId: string;
  merchantId: string;
}

export interface MessageBasics extends TerminalIdentity {
  stan: string | number;
  /** Defaults to now. */
  at?: Date;
}

/** ISO 4217 numeric; 840 = USD. */
export const DEFAULT_CURRENCY = '840';

export function randomStan(): string {
  return formatStan(randomInt(1, 1_000_000));
}

export function formatStan(stan: string | number): string {
  const digits = String(stan);
  if (!/^\d{1,6}$/.test(digits)) throw new RangeError(`STAN must be 1-6 digits, got "${digits}"`);
  return digits.padStart(6, '0');
}

/** n12 amount in minor units; integers only, never floating point. */
export function formatAmount(amountMinor: number | bigint): string {
  const value = BigInt(amountMinor);
  if (value < 0n || value > 999_999_999_999n) throw new RangeError('amount must be 0..999999999999 minor units');
  if (typeof amountMinor === 'number' && !Number.isSafeInteger(amountMinor)) throw new RangeError('amount must be an integer');
  return value.toString().padStart(12, '0');
}

const two = (n: number): string => String(n).padStart(2, '0');

/** MMDDhhmmss, UTC. */
export function transmissionDateTime(at: Date): string {
  return `${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}${localTime(at)}`;
}

/** hhmmss, UTC (field 12). */
export function localTime(at: Date): string {
  return `${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}`;
}

/** MMDD, UTC (field 13). */
export function localDate(at: Date): string {
  return `${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}`;
}

/**
 * Field 90, n42: original MTI (4) + original STAN (6) + original transmission date/time MMDDhhmmss (10)
 * + acquirer institution id (11 zeros) + forwarding institution id (11 zeros).
 */
export function originalDataElements(originalMti: string, originalStan: string | number, originalTransmission: string): string {
  if (!/^\d{4}$/.test(originalMti)) throw new RangeError('original MTI must be 4 digits');
  if (!/^\d{10}$/.test(originalTransmission)) throw new RangeError('original transmission date/time must be MMDDhhmmss');
  return `${originalMti}${formatStan(originalStan)}${originalTransmission}${'0'.repeat(11)}${'0'.repeat(11)}`;
}

/** 0800: sign-on (001), sign-off (002) or echo (301). Carries 7, 11, 41, 70. */
export function networkManagement(code: string, basics: Omit<MessageBasics, 'merchantId'> & { merchantId?: string }): IsoMessage {
  const at = basics.at ?? new Date();
  return new IsoMessage('0800')
    .set(Field.TransmissionDateTime, transmissionDateTime(at))
    .set(Field.Stan, formatStan(basics.stan))
    .set(Field.TerminalId, basics.terminalId)
    .set(Field.NetworkManagementCode, code);
}

export const signOn = (basics: Omit<MessageBasics, 'merchantId'>): IsoMessage => networkManagement(NetworkCode.SignOn, basics);
export const signOff = (basics: Omit<MessageBasics, 'merchantId'>): IsoMessage => networkManagement(NetworkCode.SignOff, basics);
export const echo = (basics: Omit<MessageBasics, 'merchantId'>): IsoMessage => networkManagement(NetworkCode.Echo, basics);

function financial(processingCode: string, basics: MessageBasics): IsoMessage {
  const at = basics.at ?? new Date();
  return new IsoMessage('0200')
    .set(Field.ProcessingCode, processingCode)
    .set(Field.TransmissionDateTime, transmissionDateTime(at))
    .set(Field.Stan, formatStan(basics.stan))
    .set(Field.LocalTime, localTime(at))
    .set(Field.LocalDate, localDate(at))
    .set(Field.TerminalId, basics.terminalId)
    .set(Field.MerchantId, basics.merchantId);
}

export interface PurchaseInput extends MessageBasics {
  amountMinor: number | bigint;
  /** The customer's Alipay payment code (field 48); never logged in clear. */
  paymentCode: string;
  currency?: string;
}

/** 0200, processing code 000000: a barcode purchase with the customer's payment code in 48. */
export function purchase(input: PurchaseInput): IsoMessage {
  return financial(ProcessingCode.Purchase, input)
    .set(Field.AmountTransaction, formatAmount(input.amountMinor))
    .set(Field.AdditionalDataPrivate, input.paymentCode)
    .set(Field.CurrencyCode, input.currency ?? DEFAULT_CURRENCY);
}

export interface RefundInput extends MessageBasics {
  amountMinor: number | bigint;
  /** RRN (field 37) the switch returned on the original purchase. */
  originalRrn: string;
  /** When given, sent in 90 (original MTI 0200, this STAN, transmission date/time if known). */
  originalStan?: string | number;
  originalTransmission?: string;
  currency?: string;
}

/** 0200, processing code 200000: a refund of (part of) an earlier purchase, identified by its RRN in 37. */
export function refund(input: RefundInput): IsoMessage {
  const message = financial(ProcessingCode.Refund, input)
    .set(Field.AmountTransaction, formatAmount(input.amountMinor))
    .set(Field.Rrn, input.originalRrn)
    .set(Field.CurrencyCode, input.currency ?? DEFAULT_CURRENCY);
  if (input.originalStan !== undefined) {
    message.set(Field.OriginalDataElements, originalDataElements('0200', input.originalStan, input.originalTransmission ?? '0'.repeat(10)));
  }
  return message;
}

export interface InquiryInput extends MessageBasics {
  originalRrn: string;
}

/** 0200, processing code 310000: the status of an earlier purchase, identified by its RRN in 37. */
export function inquiry(input: InquiryInput): IsoMessage {
  return financial(ProcessingCode.Inquiry, input).set(Field.Rrn, input.originalRrn);
}

export interface ReversalInput extends TerminalIdentity {
  /** STAN of the transaction being reversed: a reversal carries it in 11 and in 90. */
  originalStan: string | number;
  /** Amount of the original transaction; field 4 is omitted when unknown. */
  amountMinor?: number | bigint;
  currency?: string;
  originalMti?: string;
  /** Processing code of the original; defaults to purchase. */
  processingCode?: string;
  /** MMDDhhmmss of the original (its field 7); defaults to zeros when unknown. */
  originalTransmission?: string;
  /** 0420 (advice, stored and forwarded by the terminal) instead of 0400. */
  advice?: boolean;
  /** Retransmission: 0401 / 0421. */
  repeat?: boolean;
  at?: Date;
}

/** 0400 / 0420 (0401 / 0421 when repeated) for an earlier 0200. */
export function reversal(input: ReversalInput): IsoMessage {
  const at = input.at ?? new Date();
  const mti = `04${input.advice ? '2' : '0'}${input.repeat ? '1' : '0'}`;
  const message = new IsoMessage(mti)
    .set(Field.ProcessingCode, input.processingCode ?? ProcessingCode.Purchase)
    .set(Field.TransmissionDateTime, transmissionDateTime(at))
    .set(Field.Stan, formatStan(input.originalStan))
    .set(Field.LocalTime, localTime(at))
    .set(Field.LocalDate, localDate(at))
    .set(Field.TerminalId, input.terminalId)
    .set(Field.MerchantId, input.merchantId)
    .set(Field.CurrencyCode, input.currency ?? DEFAULT_CURRENCY)
    .set(
      Field.OriginalDataElements,
      originalDataElements(input.originalMti ?? '0200', input.originalStan, input.originalTransmission ?? '0'.repeat(10)),
    );
  if (input.amountMinor !== undefined) message.set(Field.AmountTransaction, formatAmount(input.amountMinor));
  return message;
}
