/** The benchmark's synthetic day: payment i of n, the same on the database side and in the file. */
import { statementDayWindow } from '@switch/alipay';

export const BENCH_DAY = '2026-01-15';
const window = statementDayWindow('ams', BENCH_DAY);

export const PAYMENT_COLUMNS = [
  'id',
  'payment_request_id',
  'terminal_id',
  'merchant_id',
  'stan',
  'local_date_time',
  'rrn',
  'request_mti',
  'processing_code',
  'amount_minor',
  'currency_numeric',
  'channel',
  'state',
  'delivery',
  'manual_intervention',
  'created_at',
  'updated_at',
  'merchant_deadline_at',
  'payment_code_masked',
  'payment_code_hash',
  'refunded_minor',
  'reserved_refund_minor',
  'gateway_deadline_at',
  'version',
];

export function benchPayment(
  i: number,
  n: number,
): { requestId: string; alipayId: string; amountMinor: number; at: Date } {
  const at = new Date(window.start.getTime() + Math.floor((i * 86_000_000) / n));
  return {
    requestId: `20260115000000BENCH001${String(i).padStart(12, '0')}000001${'a'.repeat(16)}`.slice(0, 56),
    alipayId: `20260115114010800100${String(i).padStart(12, '0')}`,
    amountMinor: 100 + (i % 10_000),
    at,
  };
}

export function benchRow(i: number, n: number): unknown[] {
  const p = benchPayment(i, n);
  const at = p.at.toISOString().replace('T', ' ').slice(0, 23);
  return [
    `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    p.requestId,
    `T${String(i % 1000).padStart(7, '0')}`,
    'MERCHANT0000001',
    String(Math.floor(i / 1000)).padStart(6, '0'),
    '0115120000',
    String(i).padStart(12, '0'),
    '0200',
    '000000',
    p.amountMinor,
    '840',
    'ams',
    'APPROVED',
    'delivered',
    0,
    at,
    at,
    at,
    '28********3000',
    'f'.repeat(64),
    0,
    0,
    at,
    3,
  ];
}
