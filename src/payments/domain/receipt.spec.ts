import { buildReceipt, localTimeIn, printReceipt, ReceiptError } from './receipt';

describe('receipt', () => {
  const sale = {
    kind: 'sale' as const,
    merchantOrderId: '20261205101530TERM00110000000012500001232b4c6d8e0f1a2b3c4',
    alipayTransactionId: '2026120522001000000000001234',
    amountMinor: 1250,
    currency: 'CNY',
    localTime: '2026-12-05 18:15:30',
    terminalId: 'TERM0011',
    rrn: '634010000123',
    approvalCode: 'A1B2C3',
  };

  it('prints the Alipay mark, the local time, both numbers and the amount, 32 characters wide', () => {
    expect(printReceipt(buildReceipt(sale))).toEqual([
      '           [ Alipay ]',
      '              SALE',
      '--------------------------------',
      'Terminal                TERM0011',
      'Date/time    2026-12-05 18:15:30',
      'Merchant order no.',
      '  20261205101530TERM001100000000',
      '  12500001232b4c6d8e0f1a2b3c4',
      'Alipay transaction no.',
      '  2026120522001000000000001234',
      'RRN                 634010000123',
      'Approval                  A1B2C3',
      '--------------------------------',
      'AMOUNT                 CNY 12.50',
      '--------------------------------',
      '        Paid with Alipay',
    ]);
  });

  it("is looked up by Alipay's number when there is one, else the merchant's", () => {
    expect(buildReceipt(sale).reference).toBe(sale.alipayTransactionId);
    expect(buildReceipt({ ...sale, alipayTransactionId: undefined }).reference).toBe(sale.merchantOrderId);
  });

  it('amounts follow the currency: JPY has no minor unit', () => {
    expect(buildReceipt({ ...sale, currency: 'JPY', amountMinor: 1000 }).amount).toBe('1000');
  });

  it('refuses a receipt without a number or with a time that is not local to the second', () => {
    expect(() => buildReceipt({ ...sale, merchantOrderId: undefined, alipayTransactionId: undefined })).toThrow(ReceiptError);
    expect(() => buildReceipt({ ...sale, localTime: '2026-12-05T10:15:30Z' })).toThrow(ReceiptError);
  });

  it("local time is the merchant's clock, summer time included", () => {
    const at = new Date('2026-07-01T23:30:05Z');
    expect(localTimeIn(at, 'Asia/Shanghai')).toBe('2026-07-02 07:30:05');
    expect(localTimeIn(at, 'Europe/Berlin')).toBe('2026-07-02 01:30:05');
    expect(localTimeIn(new Date('2026-01-01T23:30:05Z'), 'Europe/Berlin')).toBe('2026-01-02 00:30:05');
    expect(localTimeIn(at, 'UTC')).toBe('2026-07-01 23:30:05');
  });
});
