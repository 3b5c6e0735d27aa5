/**
 * Open Platform trade bill (`bill_type=trade`): a zip whose entries are GBK CSV files with GBK names and
 * no UTF-8 flag: `<PID>_<yyyyMMdd>_业务明细.csv` (the detail) and `…_业务明细(汇总).csv` (the summary).
 * The detail has `#` comment lines around a 25-column header and the rows, and a totals block
 * (`#交易合计：N笔，…`, `#退款合计：M笔，…`) that must agree with the rows read. Columns are read by name;
 * ids carry a trailing `\t` (for Excel) that is trimmed. Amounts are yuan (CNY); times Beijing time.
 * A `退款` row with `退款批次号/请求号` is a refund; without it, the refund made by a cancel.
 * Cross-border trades priced in another currency (`trans_currency`) carry it in an extra `币种` column
 * (this switch's convention; the official layout is unconfirmed): amounts are then in that currency.
 */
import type { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import JSZip from 'jszip';
import * as yauzl from 'yauzl';
import { formatMajor, parseMajorToMinor } from '../money';
import { cell, csvRecords, headerIndex, requireColumns } from './csv-records';
import {
  compactDay,
  StatementFormatError,
  STATEMENT_UTC_OFFSET_MINUTES,
  type StatementEntry,
  type StatementLine,
} from './statement-line';
import { readWallClock, wallClock } from './statement-time';

const DETAIL_SUFFIX = '_业务明细.csv';
const SUMMARY_SUFFIX = '_业务明细(汇总).csv';
const OFFSET = STATEMENT_UTC_OFFSET_MINUTES.openapi;
const UTF8_NAME_FLAG = 0x800;

export const TRADE_BILL_COLUMNS = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝红包（元）',
  '集分宝（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '券核销金额（元）',
  '券名称',
  '商家红包消费金额（元）',
  '卡消费金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '分润（元）',
  '备注',
] as const;

/** Extra column: the pricing currency of a trade not priced in CNY. */
const CURRENCY_COLUMN = '币种';

const REQUIRED = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '完成时间',
  '订单金额（元）',
  '退款批次号/请求号',
];

/** Reads the detail entry of a downloaded bill zip (a file: zips are read from their central directory). */
export async function* parseTradeBillZip(zipPath: string): AsyncGenerator<StatementEntry[]> {
  const zip = await openZip(zipPath);
  try {
    const entry = await findEntry(zip, (name) => name.endsWith(DETAIL_SUFFIX));
    if (!entry) throw new StatementFormatError(`bill zip has no *${DETAIL_SUFFIX} entry`);
    const stream = await openEntry(zip, entry);
    yield* parseTradeBillDetail(stream.pipe(iconv.decodeStream('gbk')) as unknown as Readable);
  } finally {
    zip.close();
  }
}

/** The detail CSV as text (already decoded from GBK), in batches. */
export async function* parseTradeBillDetail(input: Readable): AsyncGenerator<StatementEntry[]> {
  let header: Map<string, number> | undefined;
  let listEnded = false;
  const seen = { trades: 0, refunds: 0 };
  const totals: { trades?: number; refunds?: number } = {};
  for await (const batch of csvRecords(input)) {
    const out: StatementEntry[] = [];
    for (const { cells, line } of batch) {
      const first = cells[0] ?? '';
      if (first.startsWith('#')) {
        const text = cells.join(',');
        if (header && text.includes('业务明细列表结束')) listEnded = true;
        const count = /^#(交易|退款)合计：(\d+)笔/.exec(text);
        if (count) totals[count[1] === '交易' ? 'trades' : 'refunds'] = Number(count[2]);
        continue;
      }
      if (listEnded) throw new StatementFormatError(`trade bill: data after the list ended (line ${line})`);
      if (!header) {
        header = headerIndex(cells);
        requireColumns(header, REQUIRED, 'trade bill');
        continue;
      }
      const entry = readRow(cells, header, line);
      if (!('unreadable' in entry)) seen[entry.kind === 'payment' ? 'trades' : 'refunds'] += 1;
      out.push(entry);
    }
    if (out.length > 0) yield out;
  }
  if (!header || !listEnded) throw new StatementFormatError('trade bill: no header or no end of the list');
  if (totals.trades === undefined || totals.refunds === undefined)
    throw new StatementFormatError('trade bill: no totals block');
  if (totals.trades !== seen.trades || totals.refunds !== seen.refunds)
    throw new StatementFormatError(
      `trade bill: totals say ${totals.trades} trades and ${totals.refunds} refunds, rows hold ${seen.trades} and ${seen.refunds}`,
    );
}

function readRow(cells: string[], header: Map<string, number>, lineNumber: number): StatementEntry {
  const get = (name: string): string => cell(cells, header, name);
  const type = get('业务类型');
  if (type !== '交易' && type !== '退款')
    return { unreadable: true, lineNumber, problem: `业务类型 ${type}` };
  const outTradeNo = get('商户订单号');
  if (!outTradeNo) return { unreadable: true, lineNumber, problem: 'no 商户订单号' };
  const currency = get(CURRENCY_COLUMN) || 'CNY';
  if (!/^[A-Z]{3}$/.test(currency)) return { unreadable: true, lineNumber, problem: `币种 ${currency}` };
  let amountMinor: number;
  try {
    amountMinor = Math.abs(parseMajorToMinor(get('订单金额（元）'), currency));
  } catch {
    return { unreadable: true, lineNumber, problem: `订单金额 ${get('订单金额（元）')}` };
  }
  const at = readWallClock(get('完成时间'), OFFSET);
  if (!at) return { unreadable: true, lineNumber, problem: `完成时间 ${get('完成时间')}` };
  const tradeNo = get('支付宝交易号');
  const refundRequestId = get('退款批次号/请求号');
  const common = { amountMinor, currency, at, ...(tradeNo ? { alipayTransactionId: tradeNo } : {}) };
  const line: StatementLine =
    type === '交易'
      ? { kind: 'payment', requestId: outTradeNo, ...common }
      : refundRequestId
        ? { kind: 'refund', requestId: refundRequestId, paymentRequestId: outTradeNo, ...common }
        : { kind: 'cancel', requestId: outTradeNo, paymentRequestId: outTradeNo, ...common };
  return line;
}

/** The bill zip the sandbox serves: GBK names without the UTF-8 flag, GBK content, `\t` after ids. */
export async function writeTradeBillZip(
  pid: string,
  day: string,
  lines: readonly StatementLine[],
): Promise<Buffer> {
  const compact = compactDay(day);
  const zip = new JSZip();
  zip.file(`${pid}_${compact}${DETAIL_SUFFIX}`, iconv.encode(detailText(pid, day, lines), 'gbk'));
  zip.file(`${pid}_${compact}${SUMMARY_SUFFIX}`, iconv.encode(summaryText(pid, day, lines), 'gbk'));
  return zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    // A custom encoder keeps JSZip from setting the UTF-8 flag, as Alipay's zips do not.
    encodeFileName: (name: string) => iconv.encode(name, 'gbk') as unknown as string,
  });
}

function detailText(pid: string, day: string, lines: readonly StatementLine[]): string {
  const trades = lines.filter((l) => l.kind === 'payment');
  const refunds = lines.filter((l) => l.kind !== 'payment');
  const yuan = (ls: readonly StatementLine[]): string =>
    formatMajor(
      ls.reduce((sum, l) => sum + l.amountMinor, 0),
      'CNY',
    );
  const rows = lines.map((l) => {
    const signed = l.kind === 'payment' ? l.amountMinor : -l.amountMinor;
    const values: Record<string, string> = {
      支付宝交易号: `${l.alipayTransactionId ?? ''}\t`,
      商户订单号: `${l.kind === 'payment' ? l.requestId : l.paymentRequestId}\t`,
      业务类型: l.kind === 'payment' ? '交易' : '退款',
      商品名称: 'EFT purchase',
      创建时间: wallClock(l.at, OFFSET),
      完成时间: wallClock(l.at, OFFSET),
      '订单金额（元）': formatMajor(signed, l.currency),
      '商家实收（元）': formatMajor(signed, l.currency),
      [CURRENCY_COLUMN]: l.currency,
      '退款批次号/请求号': l.kind === 'refund' ? `${l.requestId}\t` : '',
    };
    return [...TRADE_BILL_COLUMNS, CURRENCY_COLUMN].map((c) => values[c] ?? '').join(',');
  });
  const start = `${day.slice(0, 4)}年${day.slice(5, 7)}月${day.slice(8, 10)}日`;
  return [
    '#支付宝业务明细查询',
    `#账号：[${pid}]`,
    `#起始日期：[${start} 00:00:00]   终止日期：[${start} 23:59:59]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    [...TRADE_BILL_COLUMNS, CURRENCY_COLUMN].join(','),
    ...rows,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${trades.length}笔，商家实收共${yuan(trades)}元，商家优惠共0.00元`,
    `#退款合计：${refunds.length}笔，商家实收退款共-${yuan(refunds)}元，商家优惠退款共0.00元`,
    `#导出时间：[${wallClock(new Date(), OFFSET)}]`,
    '',
  ].join('\r\n');
}

function summaryText(pid: string, day: string, lines: readonly StatementLine[]): string {
  return [
    '#支付宝业务汇总查询',
    `#账号：[${pid}]`,
    `#日期：[${day}]`,
    '门店编号,门店名称,交易订单总笔数,退款订单总笔数',
    `,Sandbox store,${lines.filter((l) => l.kind === 'payment').length},${lines.filter((l) => l.kind !== 'payment').length}`,
    '',
  ].join('\r\n');
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );
}

/** Walks the central directory for the first entry whose (GBK unless flagged UTF-8) name matches. */
function findEntry(zip: yauzl.ZipFile, matches: (name: string) => boolean): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => {
      const utf8 = (entry.generalPurposeBitFlag & UTF8_NAME_FLAG) !== 0;
      const name = utf8 ? entry.fileNameRaw.toString('utf8') : iconv.decode(entry.fileNameRaw, 'gbk');
      if (matches(name)) {
        done();
        resolve(entry);
      } else zip.readEntry();
    };
    const onEnd = (): void => {
      done();
      resolve(undefined);
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const done = (): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))),
  );
}
