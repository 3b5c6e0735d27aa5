/**
 * The slip the POS prints after an approved purchase or refund, from the 0210 alone (docs/terminal-interface.md,
 * "Receipts"): 63 the merchant order id, 62 Alipay's transaction id, 4 + 49 the amount, 13 + 12 the
 * transaction's time (UTC, as this simulator sends it) shown on the merchant's clock, 41, 37 and 38.
 * The content rules are the switch's own (src/payments/domain/receipt.ts), shared with the REST API.
 */
import { currencyByNumeric } from '@switch/alipay';
import { Field, type IsoMessage } from '@switch/iso8583';
import { buildReceipt, localTimeIn, printReceipt, type Receipt, type ReceiptKind } from '../../src/payments/domain/receipt';

const KINDS: Readonly<Record<string, ReceiptKind>> = { '00': 'sale', '20': 'refund' };

/** The receipt of an approved (39 = 00) purchase or refund; undefined for anything else (nothing to print). */
export function receiptOf(reply: IsoMessage, options: { timeZone: string; now?: Date }): Receipt | undefined {
  const kind = KINDS[reply.get(Field.ProcessingCode)?.slice(0, 2) ?? ''];
  if (!kind || reply.get(Field.ResponseCode) !== '00') return undefined;
  const amount = reply.get(Field.AmountTransaction);
  const currency = currencyByNumeric(reply.get(Field.CurrencyCode) ?? '');
  const at = utcDateOf(reply.get(Field.LocalDate), reply.get(Field.LocalTime), options.now ?? new Date());
  if (amount === undefined || !currency || !at) return undefined;
  return buildReceipt({
    kind,
    merchantOrderId: reply.get(Field.ReservedPrivate63),
    alipayTransactionId: reply.get(Field.ReservedPrivate62),
    amountMinor: Number(amount),
    currency: currency.alpha,
    localTime: localTimeIn(at, options.timeZone),
    terminalId: reply.get(Field.TerminalId),
    rrn: reply.get(Field.Rrn),
    approvalCode: reply.get(Field.AuthorizationCode),
  });
}

/** The printed slip, or undefined when the reply is not an approved purchase or refund. */
export function receiptText(reply: IsoMessage, options: { timeZone: string; now?: Date }): string | undefined {
  const receipt = receiptOf(reply, options);
  return receipt ? `${printReceipt(receipt).join('\n')}\n` : undefined;
}

/** MMDD + hhmmss (UTC) in the year that puts it nearest `now` (a slip printed on 1 January for 31 December). */
function utcDateOf(mmdd: string | undefined, hhmmss: string | undefined, now: Date): Date | undefined {
  if (!mmdd || !hhmmss || !/^\d{4}$/.test(mmdd) || !/^\d{6}$/.test(hhmmss)) return undefined;
  const candidates = [-1, 0, 1].map((offset) =>
    Date.UTC(
      now.getUTCFullYear() + offset,
      Number(mmdd.slice(0, 2)) - 1,
      Number(mmdd.slice(2)),
      Number(hhmmss.slice(0, 2)),
      Number(hhmmss.slice(2, 4)),
      Number(hhmmss.slice(4)),
    ),
  );
  const nearest = candidates.reduce((a, b) => (Math.abs(b - now.getTime()) < Math.abs(a - now.getTime()) ? b : a));
  return Number.isNaN(nearest) ? undefined : new Date(nearest);
}
