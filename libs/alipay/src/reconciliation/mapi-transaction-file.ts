/**
 * Global MAPI transaction file: `|`-separated text. A first line
 * `Partner:<pid>|Payment_time: yyyy-MM-dd|Total_count:N`, a header row, then N data rows. Amounts are
 * major units of `Currency`; `Payment_time` is Beijing time. `Partner_transaction_id` is partner_trans_id,
 * or partner_refund_id for a REFUND; a CANCEL carries Alipay's transaction id there instead. The file
 * name (`<pid>_transaction_<yyyyMMdd>.txt`, from the HK barcode SFTP spec) is unconfirmed for global
 * spot pay and is a setting-free convention of this switch and its sandbox.
 */
import type { Readable } from 'node:stream';
import { formatMajor, parseMajorToMinor } from '../money';
import { cell, csvRecords, headerIndex, requireColumns } from './csv-records';
import {
  StatementFormatError,
  STATEMENT_UTC_OFFSET_MINUTES,
  type StatementEntry,
  type StatementLine,
  type StatementLineKind,
} from './statement-line';
import { readWallClock, wallClock } from './statement-time';

export const MAPI_TRANSACTION_COLUMNS = [
  'Partner_transaction_id',
  'Transaction_id',
  'Transaction_amount',
  'Charge_amount',
  'Currency',
  'Payment_time',
  'Transaction_type',
  'Remark',
  'Secondary_merchant_industry',
  'Secondary_merchant_name',
  'Operator_name',
  'Order_scene',
  'Trans_currency',
  'Trans_amount',
  'Trans_forex_rate',
] as const;

const REQUIRED = [
  'Partner_transaction_id',
  'Transaction_id',
  'Transaction_amount',
  'Currency',
  'Payment_time',
  'Transaction_type',
] as const;

const KINDS: Readonly<Record<string, StatementLineKind | undefined>> = {
  PAYMENT: 'payment',
  REFUND: 'refund',
  CANCEL: 'cancel',
  // A reversal is the barcode API's cancel under another name: the money went back.
  REVERSAL: 'cancel',
};

const OFFSET = STATEMENT_UTC_OFFSET_MINUTES.mapi;

export function mapiTransactionFilePath(partner: string, day: string): string {
  return `/${partner}/${partner}_transaction_${day.replace(/-/g, '')}.txt`;
}

/** The file's entries, in batches. */
export async function* parseMapiTransactionFile(input: Readable): AsyncGenerator<StatementEntry[]> {
  let total: number | undefined;
  let header: Map<string, number> | undefined;
  let rows = 0;
  for await (const batch of csvRecords(input, '|')) {
    const out: StatementEntry[] = [];
    for (const { cells, line } of batch) {
      if (total === undefined) {
        total = readSummary(cells);
        continue;
      }
      if (!header) {
        header = headerIndex(cells);
        requireColumns(header, REQUIRED, 'MAPI transaction file');
        continue;
      }
      rows += 1;
      out.push(readRow(cells, header, line));
    }
    if (out.length > 0) yield out;
  }
  if (total === undefined || !header)
    throw new StatementFormatError('MAPI transaction file: no summary or header');
  if (rows !== total)
    throw new StatementFormatError(
      `MAPI transaction file: Total_count ${total} but ${rows} rows: cut short?`,
    );
}

function readSummary(cells: readonly string[]): number {
  const fields = new Map(
    cells.map((c) => {
      const at = c.indexOf(':');
      return [c.slice(0, at).trim(), c.slice(at + 1).trim()] as const;
    }),
  );
  const count = fields.get('Total_count') ?? '';
  if (!fields.has('Partner') || !/^\d+$/.test(count))
    throw new StatementFormatError(
      'MAPI transaction file: first line is not Partner:…|Payment_time:…|Total_count:N',
    );
  return Number(count);
}

function readRow(cells: string[], header: Map<string, number>, lineNumber: number): StatementEntry {
  const get = (name: string): string => cell(cells, header, name);
  const kind = KINDS[get('Transaction_type').toUpperCase()];
  if (!kind) return { unreadable: true, lineNumber, problem: `Transaction_type ${get('Transaction_type')}` };
  const currency = get('Currency');
  if (!/^[A-Z]{3}$/.test(currency)) return { unreadable: true, lineNumber, problem: `Currency ${currency}` };
  let amountMinor: number;
  try {
    amountMinor = Math.abs(parseMajorToMinor(get('Transaction_amount'), currency));
  } catch {
    return { unreadable: true, lineNumber, problem: `Transaction_amount ${get('Transaction_amount')}` };
  }
  const at = readWallClock(get('Payment_time'), OFFSET);
  if (!at) return { unreadable: true, lineNumber, problem: `Payment_time ${get('Payment_time')}` };
  const partnerId = get('Partner_transaction_id');
  const alipayId = get('Transaction_id');
  const line: StatementLine = {
    kind,
    amountMinor,
    currency,
    at,
    // Cancels name the payment by Alipay's id only.
    ...(kind !== 'cancel' && partnerId ? { requestId: partnerId } : {}),
    ...(alipayId ? { alipayTransactionId: alipayId } : {}),
  };
  return line;
}

export function* writeMapiTransactionFile(
  partner: string,
  day: string,
  lines: readonly StatementLine[],
): Generator<string> {
  yield `Partner:${partner}|Payment_time: ${day}|Total_count:${lines.length}\n`;
  yield `${MAPI_TRANSACTION_COLUMNS.join('|')}\n`;
  for (const line of lines) {
    const amount = formatMajor(line.amountMinor, line.currency);
    const partnerId = line.kind === 'cancel' ? (line.alipayTransactionId ?? '') : (line.requestId ?? '');
    yield `${[
      partnerId,
      line.alipayTransactionId ?? '',
      amount,
      '0.00',
      line.currency,
      wallClock(line.at, OFFSET),
      line.kind.toUpperCase(),
      '',
      '5411',
      'Sandbox store',
      '',
      'transactionQrCode',
      line.currency,
      amount,
      '1.00000000',
    ].join('|')}\n`;
  }
}
