/** Ready-made aggregates for tests; override what the test is about. */
import type { Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';

const T0 = new Date('2025-01-15T10:00:00.000Z');

export function aPayment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'pay-1',
    paymentRequestId: '20250115100000TERM0001000000001000000123a1b2c3d4e5f60718',
    terminalId: 'TERM0001',
    merchantId: 'M00000000000001',
    stan: '000123',
    localDateTime: '0115180000',
    rrn: '5015ABCDEFGH',
    requestMti: '0200',
    processingCode: '000000',
    amountMinor: 1000,
    currencyNumeric: '840',
    paymentCodeMasked: '28************1234',
    paymentCodeHash: 'ab'.repeat(32),
    channel: 'ams',
    state: 'RECEIVED',
    delivery: 'pending',
    manualIntervention: false,
    refundedMinor: 0,
    reservedRefundMinor: 0,
    createdAt: T0,
    updatedAt: T0,
    merchantDeadlineAt: new Date(T0.getTime() + 60_000),
    gatewayDeadlineAt: new Date(T0.getTime() + 75_000),
    version: 1,
    ...overrides,
  };
}

export function aRefund(overrides: Partial<Refund> = {}): Refund {
  return {
    id: 'ref-1',
    refundRequestId: 'RF20250115100500TERM0001000000000500000124a1b2c3d4e5f60718',
    paymentId: 'pay-1',
    terminalId: 'TERM0001',
    merchantId: 'M00000000000001',
    stan: '000124',
    localDateTime: '0115180500',
    rrn: '5015ZYXWVTSR',
    requestMti: '0200',
    processingCode: '200000',
    amountMinor: 500,
    currencyNumeric: '840',
    channel: 'ams',
    state: 'RECEIVED',
    delivery: 'pending',
    manualIntervention: false,
    attempts: 0,
    createdAt: T0,
    updatedAt: T0,
    merchantDeadlineAt: new Date(T0.getTime() + 60_000),
    retryUntil: new Date(T0.getTime() + 60_000),
    version: 1,
    ...overrides,
  };
}
