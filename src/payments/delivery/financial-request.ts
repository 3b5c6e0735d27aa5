/**
 * Reads an 0100/0200 into an engine command. Field rules: 3, 11, 12, 13, 41, 42 always; purchases need
 * 4, 48, 49; refunds need 4, 49 and the original (37 or 90); status inquiries need the original.
 * Missing or malformed mandatory fields -> format (30); 42 not the terminal's merchant -> 58; a
 * non-numeric or zero amount -> amount (13); a currency that is not 3 digits -> currency (13);
 * a processing code other than 00/20/31 -> transaction (12).
 */
import { Field, type IsoMessage } from '@switch/iso8583';
import type {
  InquiryCommand,
  PurchaseCommand,
  RefundCommand,
  TerminalRequest,
} from '../application/commands';
import type { OriginalReference } from '../application/original-locator';
import type { InvalidKind } from '../domain/outcome';
import { baseMti } from '../../terminal/iso-patterns';
import type { IsoRequest } from '../../terminal/iso-request';

export type FinancialRequest =
  | { kind: 'purchase'; command: PurchaseCommand }
  | { kind: 'refund'; command: RefundCommand }
  | { kind: 'inquiry'; command: InquiryCommand }
  | { kind: 'rejected'; problem: InvalidKind };

export const Operation = { Purchase: '00', Refund: '20', StatusInquiry: '31' } as const;

class Rejected extends Error {
  constructor(readonly problem: InvalidKind) {
    super(problem);
  }
}

export function parseFinancialRequest(request: IsoRequest): FinancialRequest {
  try {
    return parse(request);
  } catch (err) {
    if (err instanceof Rejected) return { kind: 'rejected', problem: err.problem };
    if (err instanceof TypeError) return { kind: 'rejected', problem: 'format' }; // a binary value in a text field
    throw err;
  }
}

function parse(request: IsoRequest): FinancialRequest {
  const message = request.message;
  const processingCode = required(message, Field.ProcessingCode, /^\d{6}$/);
  const stan = required(message, Field.Stan, /^\d{6}$/);
  const time = required(message, Field.LocalTime, /^([01]\d|2[0-3])[0-5]\d[0-5]\d$/);
  const date = required(message, Field.LocalDate, /^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
  required(message, Field.TerminalId, /^.{1,8}$/);
  const merchantId = required(message, Field.MerchantId, /^.{1,15}$/).trim();
  if (merchantId !== request.terminal.merchantId.trim()) throw new Rejected('merchant-mismatch');

  const common: TerminalRequest = {
    terminalId: request.terminal.terminalId,
    merchantId: request.terminal.merchantId,
    stan,
    localDateTime: date + time,
    requestMti: baseMti(message.mti),
    processingCode,
    receivedAt: request.receivedAt,
    replyDeadlineAt: new Date(request.deadlineAt),
  };

  switch (processingCode.slice(0, 2)) {
    case Operation.Purchase:
      return {
        kind: 'purchase',
        command: {
          ...common,
          ...money(message),
          paymentCode: required(message, Field.AdditionalDataPrivate, /^\S+$/),
        },
      };
    case Operation.Refund:
      return { kind: 'refund', command: { ...common, ...money(message), original: original(message) } };
    case Operation.StatusInquiry:
      return { kind: 'inquiry', command: { ...common, original: original(message) } };
    default:
      throw new Rejected('transaction');
  }
}

function money(message: IsoMessage): { amountMinor: number; currencyNumeric: string } {
  const amount = required(message, Field.AmountTransaction, /^.+$/);
  if (!/^\d{1,12}$/.test(amount) || Number(amount) === 0) throw new Rejected('amount');
  const currency = required(message, Field.CurrencyCode, /^.+$/);
  if (!/^\d{3}$/.test(currency)) throw new Rejected('currency');
  return { amountMinor: Number(amount), currencyNumeric: currency };
}

/** Field 37 (the original's RRN) wins over field 90 (original MTI 4, STAN 6, MMDDhhmmss 10, ...). */
function original(message: IsoMessage): OriginalReference {
  const rrn = message.get(Field.Rrn)?.trim();
  if (rrn) return { kind: 'rrn', rrn };
  const data = message.get(Field.OriginalDataElements);
  if (data === undefined) throw new Rejected('format');
  const match = /^(0[12]0[01])(\d{6})(\d{10})/.exec(data);
  if (!match) throw new Rejected('format');
  return { kind: 'data-elements', mti: baseMti(match[1]), stan: match[2], localDateTime: match[3] };
}

function required(message: IsoMessage, field: number, pattern: RegExp): string {
  const value = message.get(field);
  if (value === undefined || !pattern.test(value)) throw new Rejected('format');
  return value;
}
