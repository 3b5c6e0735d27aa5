/**
 * Reads an 0400/0420 (or its repeat 0401/0421) into a ReversalCommand. Field rules: 11, 41, 42 always;
 * 90 when present must be original MTI (4) + STAN (6) + MMDDhhmmss (10) (an all-zero date/time means the
 * terminal did not know it); 4, 49, 12, 13 are optional but checked when present. Malformed -> format
 * (30); 42 not the terminal's merchant -> 58.
 */
import { Field, type IsoMessage } from '@switch/iso8583';
import { baseMti } from '../../terminal/iso-patterns';
import type { IsoRequest } from '../../terminal/iso-request';
import type { ReversalCommand } from '../application/reversal.service';

export type ReversalRequest =
  | { readonly kind: 'reversal'; readonly command: ReversalCommand }
  | { readonly kind: 'rejected'; readonly problem: 'format' | 'merchant-mismatch' };

class Rejected extends Error {
  constructor(readonly problem: 'format' | 'merchant-mismatch') {
    super(problem);
  }
}

const UNKNOWN_DATE_TIME = '0000000000';

export function parseReversalRequest(request: IsoRequest): ReversalRequest {
  try {
    return { kind: 'reversal', command: parse(request) };
  } catch (err) {
    if (err instanceof Rejected) return { kind: 'rejected', problem: err.problem };
    if (err instanceof TypeError) return { kind: 'rejected', problem: 'format' }; // a binary value in a text field
    throw err;
  }
}

function parse(request: IsoRequest): ReversalCommand {
  const message = request.message;
  const stan = required(message, Field.Stan, /^\d{6}$/);
  required(message, Field.TerminalId, /^.{1,8}$/);
  const merchantId = required(message, Field.MerchantId, /^.{1,15}$/).trim();
  if (merchantId !== request.terminal.merchantId.trim()) throw new Rejected('merchant-mismatch');
  const time = optional(message, Field.LocalTime, /^([01]\d|2[0-3])[0-5]\d[0-5]\d$/);
  const date = optional(message, Field.LocalDate, /^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
  const amount = optional(message, Field.AmountTransaction, /^\d{1,12}$/);
  const currency = optional(message, Field.CurrencyCode, /^\d{3}$/);
  const original = originalDataElements(message);
  return {
    terminalId: request.terminal.terminalId,
    merchantId: request.terminal.merchantId,
    reversalMti: baseMti(message.mti),
    stan,
    ...(original !== undefined ? { original } : {}),
    localDateTime: date !== undefined && time !== undefined ? date + time : '',
    ...(amount !== undefined ? { amountMinor: Number(amount) } : {}),
    ...(currency !== undefined ? { currencyNumeric: currency } : {}),
    receivedAt: request.receivedAt,
  };
}

function originalDataElements(message: IsoMessage): ReversalCommand['original'] {
  const data = optional(message, Field.OriginalDataElements, /^.+$/);
  if (data === undefined) return undefined;
  const match = /^(0[12]0[01])(\d{6})(\d{10})/.exec(data);
  if (!match) throw new Rejected('format');
  const [, mti, stan, dateTime] = match;
  return { mti: baseMti(mti), stan, ...(dateTime !== UNKNOWN_DATE_TIME ? { localDateTime: dateTime } : {}) };
}

function required(message: IsoMessage, field: number, pattern: RegExp): string {
  const value = optional(message, field, pattern);
  if (value === undefined) throw new Rejected('format');
  return value;
}

function optional(message: IsoMessage, field: number, pattern: RegExp): string | undefined {
  const value = message.get(field);
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new Rejected('format');
  return value;
}
