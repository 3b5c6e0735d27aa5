import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DuplicateTransactionError, VersionConflictError } from '../../../src/payments/domain/errors';
import { Payment } from '../../../src/payments/domain/payment';
import { Refund } from '../../../src/payments/domain/refund';
import { openDatabase } from '../../../src/persistence/data-source';
import { OutboxMessageEntity, PaymentEventEntity } from '../../../src/persistence/entities';
import { TypeOrmPaymentRepository } from '../../../src/persistence/repositories/typeorm-payment.repository';
import { TypeOrmRefundRepository } from '../../../src/persistence/repositories/typeorm-refund.repository';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { DATABASE_KINDS, TestDatabase } from '../../support/databases';

let sequence = 0;
function aPayment(overrides: Partial<Payment> = {}): Payment {
  sequence += 1;
  const now = new Date('2026-11-22T02:00:00.000Z');
  return {
    id: randomUUID(),
    paymentRequestId: `PR${sequence}${randomUUID().replace(/-/g, '').slice(0, 20)}`,
    terminalId: 'TERM0001',
    merchantId: 'MERCHANT0000001',
    stan: String(sequence).padStart(6, '0'),
    localDateTime: '1122100000',
    rrn: `R${String(sequence).padStart(5, '0')}${randomUUID().slice(0, 6)}`,
    requestMti: '0200',
    processingCode: '000000',
    amountMinor: 1000,
    currencyNumeric: '840',
    paymentCodeMasked: '28************0000',
    paymentCodeHash: 'a'.repeat(64),
    channel: 'ams',
    state: 'RECEIVED',
    delivery: 'pending',
    manualIntervention: false,
    refundedMinor: 0,
    reservedRefundMinor: 0,
    createdAt: now,
    updatedAt: now,
    merchantDeadlineAt: new Date(now.getTime() + 60_000),
    gatewayDeadlineAt: new Date(now.getTime() + 75_000),
    version: 1,
    ...overrides,
  };
}

function aRefund(original: Payment, amountMinor: number): Refund {
  sequence += 1;
  return {
    id: randomUUID(),
    refundRequestId: `RF${randomUUID().replace(/-/g, '')}`,
    paymentId: original.id,
    terminalId: original.terminalId,
    merchantId: original.merchantId,
    stan: String(sequence).padStart(6, '0'),
    localDateTime: '1122100500',
    rrn: `F${String(sequence).padStart(5, '0')}${randomUUID().slice(0, 6)}`,
    requestMti: '0200',
    processingCode: '200000',
    amountMinor,
    currencyNumeric: original.currencyNumeric,
    channel: original.channel,
    state: 'RECEIVED',
    delivery: 'pending',
    manualIntervention: false,
    attempts: 0,
    createdAt: original.createdAt,
    updatedAt: original.createdAt,
    merchantDeadlineAt: original.merchantDeadlineAt,
    retryUntil: original.gatewayDeadlineAt,
    version: 1,
  };
}

describe.each(DATABASE_KINDS)('payment repositories on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let payments: TypeOrmPaymentRepository;
  let refunds: TypeOrmRefundRepository;

  beforeAll(async () => {
    db = await create();
    dataSource = await openDatabase(db.config);
    const uow = new UnitOfWork(dataSource);
    payments = new TypeOrmPaymentRepository(uow);
    refunds = new TypeOrmRefundRepository(uow);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('round-trips a payment with its history', async () => {
    const payment = aPayment({ alipayTransactionId: undefined });
    await payments.insert(payment, [{ paymentId: payment.id, at: payment.createdAt, type: 'STATE_CHANGED', toState: 'RECEIVED' }]);
    expect(await payments.findById(payment.id)).toEqual(payment);
    expect(await payments.findByPaymentRequestId(payment.paymentRequestId)).toEqual(payment);
    expect(await payments.findByRrn(payment.merchantId, payment.rrn)).toEqual(payment);
    expect(await payments.findByTerminalStan(payment.terminalId, payment.stan)).toEqual([payment]);
    const events = await dataSource.getRepository(PaymentEventEntity).findBy({ paymentId: payment.id });
    expect(events).toHaveLength(1);
  });

  it('names the unique key a duplicate collides with', async () => {
    const payment = aPayment();
    await payments.insert(payment, []);
    const sameStan = aPayment({ stan: payment.stan, localDateTime: payment.localDateTime, terminalId: payment.terminalId });
    await expect(payments.insert(sameStan, [])).rejects.toEqual(new DuplicateTransactionError('terminal-stan-datetime'));
    await expect(payments.insert(aPayment({ rrn: payment.rrn }), [])).rejects.toBeInstanceOf(DuplicateTransactionError);
    await expect(payments.insert(aPayment({ paymentRequestId: payment.paymentRequestId }), [])).rejects.toMatchObject({
      key: 'request-id',
    });
  });

  it('updates only at the expected version, with events and outbox in the same transaction', async () => {
    const payment = aPayment();
    await payments.insert(payment, []);
    const cancelled = { ...payment, state: 'CANCEL_REQUESTED' as const, cancelReason: 'gateway-timeout' as const, version: 2 };
    const order = {
      kind: 'CANCEL' as const,
      key: payment.paymentRequestId,
      payload: {
        paymentId: payment.id,
        paymentRequestId: payment.paymentRequestId,
        merchantId: payment.merchantId,
        terminalId: payment.terminalId,
        channel: payment.channel,
        amountMinor: payment.amountMinor,
        currencyNumeric: payment.currencyNumeric,
        reason: 'gateway-timeout' as const,
        requestedAt: payment.createdAt.toISOString(),
      },
    };
    await payments.update(cancelled, 1, [{ paymentId: payment.id, at: payment.createdAt, type: 'STATE_CHANGED' }], [order]);
    const stale = { ...payment, state: 'APPROVED' as const, version: 2 };
    await expect(payments.update(stale, 1, [{ paymentId: payment.id, at: payment.createdAt, type: 'NOTE' }], [order])).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect((await payments.findById(payment.id))?.state).toBe('CANCEL_REQUESTED');
    const outbox = await dataSource.getRepository(OutboxMessageEntity).findBy({ messageKey: payment.paymentRequestId });
    expect(outbox).toHaveLength(1);
    expect(JSON.parse(outbox[0].payload)).toMatchObject({ reason: 'gateway-timeout' });
    expect(await dataSource.getRepository(PaymentEventEntity).countBy({ paymentId: payment.id, type: 'NOTE' })).toBe(0);
  });

  it('lists unfinished payments, including approvals not yet delivered', async () => {
    const delivered = aPayment({ state: 'APPROVED', delivery: 'delivered' });
    const undelivered = aPayment({ state: 'APPROVED', delivery: 'undelivered' });
    const declined = aPayment({ state: 'DECLINED' });
    const awaiting = aPayment({ state: 'AWAITING_ALIPAY' });
    for (const p of [delivered, undelivered, declined, awaiting]) await payments.insert(p, []);
    const ids = (await payments.findUnfinished()).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([undelivered.id, awaiting.id]));
    expect(ids).not.toContain(delivered.id);
    expect(ids).not.toContain(declined.id);
  });

  it('lets only one of two racing refunds reserve the same amount', async () => {
    const original = aPayment({ state: 'APPROVED', delivery: 'delivered', amountMinor: 1000 });
    await payments.insert(original, []);
    const reserve = (amount: number) => ({
      payment: { ...original, reservedRefundMinor: amount, version: 2 },
      expectedVersion: 1,
    });
    const results = await Promise.allSettled([
      refunds.insert(aRefund(original, 800), [], reserve(800)),
      refunds.insert(aRefund(original, 700), [], reserve(700)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.any(VersionConflictError),
    ]);
    const stored = await payments.findById(original.id);
    expect(stored?.reservedRefundMinor).toBeGreaterThanOrEqual(700);
    expect(await refunds.findUnfinished()).toHaveLength(1);
  });
});
