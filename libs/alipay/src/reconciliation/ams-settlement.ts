/**
 * AMS (Antom) settlement reports, in the day's directory `/v1/settlements/<customerId>/<yyyyMMdd>/`:
 * `settlementItems_<ccy>_<batchId>_000.csv` (one row per settled transaction) and
 * `settlementSummary_<ccy>_<batchId>_<seq>.csv` (a row per summaryType and a TOTAL row). UTF-8 CSV, header
 * row, `<END>` last, as transactionItems.
 *
 * Confirmed by the Antom docs (../shared/reference/isv-notify-recon-admin.md 3a): the names, the directory,
 * the summary's columns, the TOTAL row, signed amounts (refunds negative), an empty day's summary with batch
 * id 0000000000000000000. UNCONFIRMED, decided here: the settlementItems columns past the first few (we
 * write the transactionItems ones plus settlement amount, currency and fee), amounts in minor units (as
 * transactionItems and the AMS API's `value`), the per-method summary variants (not read).
 */
import type { Readable } from 'node:stream';
import { amsCsvRows, amsTransactionCells, isoUtc, readAmsRow } from './ams-transaction-items';
import { cell } from './csv-records';
import { compactDay, StatementFormatError, type StatementEntry, type StatementLine } from './statement-line';

export const AMS_SETTLEMENT_ITEM_COLUMNS = [
  'settlementBatchId',
  'customerId',
  'acquirer',
  'transactionId',
  'originalTransactionId',
  'transactionRequestId',
  'originalTransactionRequestId',
  'transactionType',
  'transactionTime',
  'transactionAmountValue',
  'transactionCurrency',
  'settlementAmountValue',
  'settlementCurrency',
  'feeAmountValue',
  'feeCurrency',
  'settlementTime',
] as const;

export const AMS_SETTLEMENT_SUMMARY_COLUMNS = [
  'settlementBatchId',
  'customerId',
  'acquirer',
  'summaryType',
  'settlementTime',
  'count',
  'settlementAmountValue',
  'settlementCurrency',
  'feeAmountValue',
  'feeCurrency',
] as const;

const ITEM_REQUIRED = [
  'transactionRequestId',
  'transactionType',
  'transactionTime',
  'settlementAmountValue',
  'settlementCurrency',
] as const;
const SUMMARY_REQUIRED = ['summaryType', 'count', 'settlementAmountValue', 'settlementCurrency'] as const;

/** An empty day's summary carries this batch id and no items file. */
export const AMS_EMPTY_BATCH_ID = '0000000000000000000';

export function amsSettlementDirectory(customerId: string, day: string): string {
  return `/v1/settlements/${customerId}/${compactDay(day)}/`;
}

export const amsSettlementItemsName = (currency: string, batchId: string): string =>
  `settlementItems_${currency}_${batchId}_000.csv`;
export const amsSettlementSummaryName = (currency: string, batchId: string): string =>
  `settlementSummary_${currency}_${batchId}_000.csv`;

/** A summary file's currency and batch, from its name; undefined for other names (per-method variants). */
export function amsSettlementSummaryOf(name: string): { currency: string; batchId: string } | undefined {
  const m = /^settlementSummary_([A-Z]{3})_(\d{1,32})_\d{3}\.csv$/.exec(name);
  return m ? { currency: m[1], batchId: m[2] } : undefined;
}

/** What a settlement batch adds up to: rows and signed settlement amount (minor units). */
export interface SettlementTotals {
  readonly count: number;
  readonly amountMinor: number;
  readonly currency: string;
}

export const describeTotals = (t: SettlementTotals): string =>
  `${t.count} items, ${t.amountMinor} ${t.currency}`;

/** The summary's TOTAL row (an empty day's summary has none: zero). */
export async function readAmsSettlementSummary(input: Readable, currency: string): Promise<SettlementTotals> {
  let total: SettlementTotals = { count: 0, amountMinor: 0, currency };
  for await (const { rows, header } of amsCsvRows(input, SUMMARY_REQUIRED, 'settlementSummary')) {
    for (const { cells, line } of rows) {
      if (cell(cells, header, 'summaryType') !== 'TOTAL') continue;
      const count = cell(cells, header, 'count');
      const amount = cell(cells, header, 'settlementAmountValue');
      if (!/^\d{1,9}$/.test(count) || !/^-?\d{1,15}$/.test(amount))
        throw new StatementFormatError(`settlementSummary: TOTAL row unreadable (line ${line})`);
      total = {
        count: Number(count),
        amountMinor: Number(amount),
        currency: cell(cells, header, 'settlementCurrency'),
      };
    }
  }
  return total;
}

/** A settlementItems file whose rows do not add up to its summary's TOTAL. */
export interface SettlementTotalsMismatch {
  readonly totalsMismatch: true;
  readonly batchId: string;
  readonly summary: SettlementTotals;
  readonly items: SettlementTotals;
}

export type SettlementEntry = StatementEntry | SettlementTotalsMismatch;

export const isTotalsMismatch = (entry: SettlementEntry): entry is SettlementTotalsMismatch =>
  'totalsMismatch' in entry;

/**
 * The items file's entries, in batches, as statement lines whose amount and currency are the settlement
 * amount and currency (what Alipay pays out for the transaction). After the last row, a totals mismatch
 * entry when the rows do not add up to `summary`.
 */
export async function* parseAmsSettlementItems(
  input: Readable,
  batchId: string,
  summary: SettlementTotals,
): AsyncGenerator<SettlementEntry[]> {
  let count = 0;
  let amountMinor = 0;
  for await (const { rows, header } of amsCsvRows(input, ITEM_REQUIRED, 'settlementItems')) {
    const out: SettlementEntry[] = [];
    for (const { cells, line } of rows) {
      count += 1;
      const signed = cell(cells, header, 'settlementAmountValue');
      if (/^-?\d{1,15}$/.test(signed)) amountMinor += Number(signed);
      out.push(readItem(cells, header, line));
    }
    yield out;
  }
  if (count !== summary.count || amountMinor !== summary.amountMinor)
    yield [
      {
        totalsMismatch: true,
        batchId,
        summary,
        items: { count, amountMinor, currency: summary.currency },
      },
    ];
}

function readItem(cells: string[], header: Map<string, number>, lineNumber: number): StatementEntry {
  return readAmsRow(cells, header, lineNumber, (get, kind) => {
    const amount = get('settlementAmountValue');
    // Money in is positive, money given back negative: a sign against the type is not guessed at.
    const sign = kind === 'payment' ? '' : '-';
    if (!new RegExp(`^${sign}\\d{1,15}$`).test(amount))
      return { problem: `settlementAmountValue ${amount} for ${kind}` };
    const currency = get('settlementCurrency');
    if (!/^[A-Z]{3}$/.test(currency)) return { problem: `settlementCurrency ${currency}` };
    return { amountMinor: Math.abs(Number(amount)), currency };
  });
}

/** One settled transaction to write: the line (its amount is settled 1:1, no FX) and Alipay's own id. */
export interface AmsSettlementRow {
  readonly line: StatementLine;
  readonly transactionId: string;
}

const signedAmount = (line: StatementLine): number =>
  line.kind === 'payment' ? line.amountMinor : -line.amountMinor;

/** The Alipay fee on a settled amount (0.6%, charged as a negative figure; returned on money given back). */
const feeOf = (signed: number): number => -Math.round((signed * 6) / 1000) || 0;

/** settlementItems text, piece by piece; the rows must all be in the batch's currency. */
export function* writeAmsSettlementItems(
  customerId: string,
  batchId: string,
  settledAt: Date,
  rows: Iterable<AmsSettlementRow>,
): Generator<string> {
  yield `${AMS_SETTLEMENT_ITEM_COLUMNS.join(',')}\n`;
  for (const { line, transactionId } of rows) {
    const signed = signedAmount(line);
    yield `${[
      batchId,
      ...amsTransactionCells(customerId, line, transactionId),
      String(signed),
      line.currency,
      String(signed),
      line.currency,
      String(feeOf(signed)),
      line.currency,
      isoUtc(settledAt),
    ].join(',')}\n`;
  }
  yield '<END>\n';
}

/**
 * settlementSummary text: a row per summaryType present and the TOTAL row. `totalSkewMinor` is added to
 * the TOTAL amount only (the sandbox's planted totals mismatch; 0 otherwise).
 */
export function writeAmsSettlementSummary(
  customerId: string,
  batchId: string,
  currency: string,
  settledAt: Date,
  lines: readonly StatementLine[],
  totalSkewMinor = 0,
): string {
  const byType = new Map<string, { count: number; amount: number; fee: number }>();
  const add = (type: string, signed: number): void => {
    const sum = byType.get(type) ?? { count: 0, amount: 0, fee: 0 };
    sum.count += 1;
    sum.amount += signed;
    sum.fee += feeOf(signed);
    byType.set(type, sum);
  };
  for (const line of lines) {
    add(line.kind.toUpperCase(), signedAmount(line));
    add('TOTAL', signedAmount(line));
  }
  const total = byType.get('TOTAL');
  if (total) total.amount += totalSkewMinor;
  const rows = [...byType].map(([type, sum]) =>
    [
      batchId,
      customerId,
      'ALIPAY_CN',
      type,
      isoUtc(settledAt),
      sum.count,
      sum.amount,
      currency,
      sum.fee,
      currency,
    ].join(','),
  );
  return `${[AMS_SETTLEMENT_SUMMARY_COLUMNS.join(','), ...rows, '<END>'].join('\n')}\n`;
}
