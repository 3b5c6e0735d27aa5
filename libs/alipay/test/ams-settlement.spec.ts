import { Readable } from 'node:stream';
import {
  amsSettlementSummaryOf,
  isTotalsMismatch,
  parseAmsSettlementItems,
  readAmsSettlementSummary,
  writeAmsSettlementItems,
  writeAmsSettlementSummary,
  type SettlementEntry,
  type StatementLine,
} from '../src';

const at = new Date('2026-03-04T05:06:07Z');
const settledAt = new Date('2026-03-04T23:00:00Z');
const lines: StatementLine[] = [
  { kind: 'payment', requestId: 'PRQ-1', alipayTransactionId: 'A1', amountMinor: 1250, currency: 'USD', at },
  {
    kind: 'refund',
    requestId: 'RRQ-1',
    paymentRequestId: 'PRQ-1',
    alipayTransactionId: 'A1',
    amountMinor: 500,
    currency: 'USD',
    at,
  },
  {
    kind: 'cancel',
    requestId: 'PRQ-2',
    paymentRequestId: 'PRQ-2',
    alipayTransactionId: 'A2',
    amountMinor: 990,
    currency: 'USD',
    at,
  },
];
const BATCH = '2026030400000000001';
const text = (chunks: Iterable<string> | string): Readable =>
  Readable.from([typeof chunks === 'string' ? chunks : [...chunks].join('')]);
const itemsText = (rows: StatementLine[]): Iterable<string> =>
  writeAmsSettlementItems(
    'CUST1',
    BATCH,
    settledAt,
    rows.map((line) => ({ line, transactionId: line.alipayTransactionId ?? '' })),
  );

async function collect(batches: AsyncIterable<SettlementEntry[]>): Promise<SettlementEntry[]> {
  const out: SettlementEntry[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

describe('AMS settlement reports', () => {
  it('reads back settled items (signed settlement amounts) and the summary TOTAL the sandbox writes', async () => {
    const summaryText = writeAmsSettlementSummary('CUST1', BATCH, 'USD', settledAt, lines);
    expect(summaryText.split('\n')[0]).toMatch(/^settlementBatchId,customerId,acquirer,summaryType,/);
    expect(summaryText).toContain(`${BATCH},CUST1,ALIPAY_CN,TOTAL,2026-03-04T23:00:00+00:00,3,-240,USD`);
    const summary = await readAmsSettlementSummary(text(summaryText), 'USD');
    expect(summary).toEqual({ count: 3, amountMinor: 1250 - 500 - 990, currency: 'USD' });

    const itemsFile = [...itemsText(lines)].join('');
    expect(itemsFile).toContain(',REFUND,2026-03-04T05:06:07+00:00,-500,USD,-500,USD,3,USD,');
    const read = await collect(parseAmsSettlementItems(text(itemsFile), BATCH, summary));
    expect(read).toEqual(lines);
  });

  it('names a batch whose items do not add up to its summary TOTAL', async () => {
    const summary = await readAmsSettlementSummary(
      text(writeAmsSettlementSummary('CUST1', BATCH, 'USD', settledAt, lines, 7)),
      'USD',
    );
    const read = await collect(parseAmsSettlementItems(text(itemsText(lines)), BATCH, summary));
    const mismatch = read.filter(isTotalsMismatch);
    expect(mismatch).toEqual([
      {
        totalsMismatch: true,
        batchId: BATCH,
        summary: { count: 3, amountMinor: -233, currency: 'USD' },
        items: { count: 3, amountMinor: -240, currency: 'USD' },
      },
    ]);
  });

  it('reports an item whose sign contradicts its type, and refuses a file cut short', async () => {
    const flipped = [...itemsText(lines)].join('').replace(',-500,USD,-500,USD', ',500,USD,500,USD');
    const summary = { count: 3, amountMinor: -240, currency: 'USD' };
    const read = await collect(parseAmsSettlementItems(text(flipped), BATCH, summary));
    expect(read[1]).toEqual({
      unreadable: true,
      lineNumber: 3,
      problem: 'settlementAmountValue 500 for refund',
    });
    const cut = [...itemsText(lines)].join('').replace('<END>\n', '');
    await expect(collect(parseAmsSettlementItems(text(cut), BATCH, summary))).rejects.toThrow(/<END>/);
  });

  it('knows summary names by currency and batch, and leaves per-method variants alone', () => {
    expect(amsSettlementSummaryOf(`settlementSummary_USD_${BATCH}_000.csv`)).toEqual({
      currency: 'USD',
      batchId: BATCH,
    });
    expect(amsSettlementSummaryOf(`settlementSummary_CONNECTWALLET_USD_${BATCH}_000.csv`)).toBeUndefined();
    expect(amsSettlementSummaryOf(`settlementItems_USD_${BATCH}_000.csv`)).toBeUndefined();
  });
});
