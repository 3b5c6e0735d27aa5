/**
 * AMS (Antom) transaction details: `transactionItems_<yyyyMMdd>_000.csv`, UTF-8 CSV, a header row of
 * parameter names, data rows, and a last line `<END>` (a file without it was cut short). Columns are read
 * by name. Amounts are minor units, as the AMS API's `value` is; times are ISO 8601 with an offset.
 */
import type { Readable } from 'node:stream';
import { cell, csvRecords, headerIndex, requireColumns, type CsvRecord } from './csv-records';
import {
  StatementFormatError,
  type StatementEntry,
  type StatementLine,
  type StatementLineKind,
} from './statement-line';
import { readIsoTime } from './statement-time';

export const AMS_END_MARKER = '<END>';

export const AMS_TRANSACTION_COLUMNS = [
  'customerId',
  'PSP',
  'transactionId',
  'originalTransactionId',
  'transactionRequestId',
  'originalTransactionRequestId',
  'transactionType',
  'transactionTime',
  'productCode',
  'transactionAmountValue',
  'transactionCurrency',
] as const;

const REQUIRED = [
  'transactionRequestId',
  'transactionType',
  'transactionAmountValue',
  'transactionCurrency',
  'transactionTime',
] as const;

const KINDS: Readonly<Record<string, StatementLineKind>> = {
  PAYMENT: 'payment',
  REFUND: 'refund',
  CANCEL: 'cancel',
};

export function amsTransactionItemsPath(customerId: string, day: string): string {
  const compact = day.replace(/-/g, '');
  return `/v1/settlements/${customerId}/${compact}/transactionItems_${compact}_000.csv`;
}

/** The file's entries, in batches. */
export async function* parseAmsTransactionItems(input: Readable): AsyncGenerator<StatementEntry[]> {
  for await (const { rows, header } of amsCsvRows(input, REQUIRED, 'transactionItems')) {
    const out = rows.map(({ cells, line }) => readRow(cells, header, line));
    if (out.length > 0) yield out;
  }
}

/**
 * Any AMS report (transactionItems, settlementItems, settlementSummary): the header checked for
 * `required`, then the data rows in batches with the header to read them by name; `<END>` must be the
 * last line, or the file was cut short.
 */
export async function* amsCsvRows(
  input: Readable,
  required: readonly string[],
  file: string,
): AsyncGenerator<{ rows: CsvRecord[]; header: Map<string, number> }> {
  let header: Map<string, number> | undefined;
  let ended = false;
  for await (const batch of csvRecords(input)) {
    const rows: CsvRecord[] = [];
    for (const record of batch) {
      const { cells, line } = record;
      if (ended) throw new StatementFormatError(`${file}: data after ${AMS_END_MARKER} (line ${line})`);
      if (cells.length === 1 && cells[0].trim() === AMS_END_MARKER) {
        ended = true;
        continue;
      }
      if (!header) {
        header = headerIndex(cells);
        requireColumns(header, required, file);
        continue;
      }
      rows.push(record);
    }
    if (rows.length > 0 && header) yield { rows, header };
  }
  if (!header) throw new StatementFormatError(`${file}: empty file (no header)`);
  if (!ended) throw new StatementFormatError(`${file}: no ${AMS_END_MARKER} line: the file is cut short`);
}

function readRow(cells: string[], header: Map<string, number>, lineNumber: number): StatementEntry {
  return readAmsRow(cells, header, lineNumber, (get) => {
    const amount = get('transactionAmountValue');
    if (!/^\d{1,15}$/.test(amount)) return { problem: `amount ${amount}` };
    const currency = get('transactionCurrency');
    if (!/^[A-Z]{3}$/.test(currency)) return { problem: `currency ${currency}` };
    return { amountMinor: Number(amount), currency };
  });
}

/** What an AMS file's own amount and currency columns say of a row, or why they cannot be read. */
export type AmsRowMoney = { amountMinor: number; currency: string } | { problem: string };

/**
 * A row of an AMS file (transactionItems, settlementItems) as a statement line: the columns both files share
 * are read here, the amount and currency by the file's own `money`.
 */
export function readAmsRow(
  cells: string[],
  header: Map<string, number>,
  lineNumber: number,
  money: (get: (name: string) => string, kind: StatementLine['kind']) => AmsRowMoney,
): StatementEntry {
  const get = (name: string): string => cell(cells, header, name);
  const kind = KINDS[get('transactionType').toUpperCase()];
  if (!kind) return { unreadable: true, lineNumber, problem: `transactionType ${get('transactionType')}` };
  const requestId = get('transactionRequestId');
  if (!requestId) return { unreadable: true, lineNumber, problem: 'no transactionRequestId' };
  const read = money(get, kind);
  if ('problem' in read) return { unreadable: true, lineNumber, problem: read.problem };
  const at = readIsoTime(get('transactionTime'));
  if (!at) return { unreadable: true, lineNumber, problem: `transactionTime ${get('transactionTime')}` };
  const original = get('originalTransactionRequestId');
  const alipayId = kind === 'payment' ? get('transactionId') : get('originalTransactionId');
  return {
    kind,
    requestId,
    amountMinor: read.amountMinor,
    currency: read.currency,
    at,
    ...(kind !== 'payment' && original ? { paymentRequestId: original } : {}),
    ...(alipayId ? { alipayTransactionId: alipayId } : {}),
  };
}

/** One AMS row to write: the line plus Alipay's own id of this transaction (paymentId, refundId). */
export interface AmsTransactionRow {
  readonly line: StatementLine;
  readonly transactionId: string;
}

/** The file's text, piece by piece (header, one piece per row, `<END>`), for a writer that streams. */
export function* writeAmsTransactionItems(
  customerId: string,
  rows: Iterable<AmsTransactionRow>,
): Generator<string> {
  yield `${AMS_TRANSACTION_COLUMNS.join(',')}\n`;
  for (const { line, transactionId } of rows) {
    yield `${[
      ...amsTransactionCells(customerId, line, transactionId),
      'IN_STORE_PAYMENT',
      String(line.amountMinor),
      line.currency,
    ].join(',')}\n`;
  }
  yield `${AMS_END_MARKER}\n`;
}

/** The cells both AMS files start a transaction's row with: who, which transaction, of what, when. */
export function amsTransactionCells(
  customerId: string,
  line: StatementLine,
  transactionId: string,
): string[] {
  const isPayment = line.kind === 'payment';
  return [
    customerId,
    'ALIPAY_CN',
    transactionId,
    isPayment ? '' : (line.alipayTransactionId ?? ''),
    line.requestId ?? '',
    isPayment ? '' : (line.paymentRequestId ?? ''),
    line.kind.toUpperCase(),
    isoUtc(line.at),
  ];
}

export const isoUtc = (at: Date): string => `${at.toISOString().slice(0, 19)}+00:00`;
