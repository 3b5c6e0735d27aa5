import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import * as yauzl from 'yauzl';
import {
  isUnreadable,
  parseAmsTransactionItems,
  parseMapiTransactionFile,
  parseTradeBillDetail,
  parseTradeBillZip,
  statementDayWindow,
  writeAmsTransactionItems,
  writeMapiTransactionFile,
  writeTradeBillZip,
  type StatementEntry,
  type StatementLine,
} from '../src';

const at = new Date('2026-03-04T05:06:07Z');
const payment: StatementLine = {
  kind: 'payment',
  requestId: 'PRQ-1',
  alipayTransactionId: '2026030422001000000000000001',
  amountMinor: 1250,
  currency: 'CNY',
  at,
};
const refund: StatementLine = {
  kind: 'refund',
  requestId: 'RRQ-1',
  paymentRequestId: 'PRQ-1',
  alipayTransactionId: payment.alipayTransactionId,
  amountMinor: 500,
  currency: 'CNY',
  at,
};
const cancel: StatementLine = {
  kind: 'cancel',
  requestId: 'PRQ-2',
  paymentRequestId: 'PRQ-2',
  alipayTransactionId: '2026030422001000000000000002',
  amountMinor: 990,
  currency: 'CNY',
  at,
};

async function collect(batches: AsyncIterable<StatementEntry[]>): Promise<StatementEntry[]> {
  const out: StatementEntry[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}
const text = (chunks: Iterable<string>): Readable => Readable.from([[...chunks].join('')]);

describe('AMS transactionItems CSV', () => {
  it('reads back what the sandbox writes, by column name', async () => {
    const rows = [payment, refund, cancel].map((line, i) => ({ line, transactionId: `T${i}` }));
    const read = await collect(parseAmsTransactionItems(text(writeAmsTransactionItems('CUST1', rows))));
    expect(read).toEqual([
      { ...payment, alipayTransactionId: 'T0' },
      refund,
      { ...cancel, requestId: 'PRQ-2' },
    ]);
  });

  it('refuses a file without its <END> line (cut short)', async () => {
    const chunks = [...writeAmsTransactionItems('CUST1', [{ line: payment, transactionId: 'T0' }])];
    await expect(collect(parseAmsTransactionItems(text(chunks.slice(0, -1))))).rejects.toThrow(/<END>/);
  });

  it('reports a row it cannot read with its line number instead of dropping it', async () => {
    const file =
      'transactionRequestId,transactionType,transactionAmountValue,transactionCurrency,transactionTime\n' +
      'P1,PAYMENT,12.50,USD,2026-03-04T05:06:07+00:00\n<END>\n';
    const [entry] = await collect(parseAmsTransactionItems(Readable.from([file])));
    expect(entry && isUnreadable(entry) && entry.lineNumber).toBe(2);
  });
});

describe('MAPI |-separated transaction file', () => {
  it('reads back payments, refunds and cancels (cancels by Alipay id only)', async () => {
    const read = await collect(
      parseMapiTransactionFile(
        text(writeMapiTransactionFile('2088000000000001', '2026-03-04', [payment, refund, cancel])),
      ),
    );
    expect(read).toEqual(
      [
        payment,
        { ...refund, paymentRequestId: undefined },
        { ...cancel, requestId: undefined, paymentRequestId: undefined },
      ].map(strip),
    );
  });

  it('refuses a file whose rows do not add up to Total_count', async () => {
    const chunks = [...writeMapiTransactionFile('2088000000000001', '2026-03-04', [payment, refund])];
    await expect(collect(parseMapiTransactionFile(text(chunks.slice(0, -1))))).rejects.toThrow(
      /Total_count 2/,
    );
  });
});

describe('Open Platform trade bill zip (GBK)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bill-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds GBK-named entries without the UTF-8 flag and GBK content, and reads back', async () => {
    const zipPath = join(dir, 'bill.zip');
    writeFileSync(
      zipPath,
      await writeTradeBillZip('2088000000000001', '2026-03-04', [payment, refund, cancel]),
    );
    const names = await entryNames(zipPath);
    expect(names.map((n) => ({ utf8: n.utf8, name: iconv.decode(n.raw, 'gbk') }))).toEqual([
      { utf8: false, name: '2088000000000001_20260304_业务明细.csv' },
      { utf8: false, name: '2088000000000001_20260304_业务明细(汇总).csv' },
    ]);
    expect(await collect(parseTradeBillZip(zipPath))).toEqual([payment, refund, cancel]);
  });

  it('refuses a detail whose totals block disagrees with its rows', async () => {
    const detail = [
      '#支付宝业务明细查询',
      '支付宝交易号,商户订单号,业务类型,完成时间,订单金额（元）,退款批次号/请求号',
      'T1\t,P1\t,交易,2026-03-04 13:06:07,12.50,',
      '#-----业务明细列表结束-----',
      '#交易合计：2笔，商家实收共12.50元',
      '#退款合计：0笔，商家实收退款共0.00元',
    ].join('\n');
    await expect(collect(parseTradeBillDetail(Readable.from([detail])))).rejects.toThrow(
      /totals say 2 trades/,
    );
  });
});

describe('statement days', () => {
  it('cuts AMS days at UTC midnight and Open Platform / MAPI days at Beijing midnight', () => {
    expect(statementDayWindow('ams', '2026-03-04').start.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(statementDayWindow('openapi', '2026-03-04').start.toISOString()).toBe('2026-03-03T16:00:00.000Z');
    expect(statementDayWindow('mapi', '2026-03-04').end.toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(() => statementDayWindow('ams', '2026-3-4')).toThrow(/yyyy-MM-dd/);
  });
});

function strip(line: StatementLine): StatementLine {
  return Object.fromEntries(
    Object.entries(line).filter(([, v]) => v !== undefined),
  ) as unknown as StatementLine;
}

function entryNames(path: string): Promise<{ raw: Buffer; utf8: boolean }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: false }, (err, zip) => {
      if (err) return reject(err);
      const out: { raw: Buffer; utf8: boolean }[] = [];
      zip.on('entry', (e: yauzl.Entry) =>
        out.push({ raw: e.fileNameRaw, utf8: (e.generalPurposeBitFlag & 0x800) !== 0 }),
      );
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
    });
  });
}
