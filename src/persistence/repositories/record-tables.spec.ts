import { aPayment, aRefund } from '../../payments/testing';
import { PAYMENTS, REFUNDS } from './record-tables';

describe('the hot-path tables, read from the TypeORM entities', () => {
  const columnsOf = (table: typeof PAYMENTS | typeof REFUNDS) =>
    Object.fromEntries(table.columns().map(([property, column, kind]) => [property, [column, kind]]));

  it('map every property of a payment, optional ones included, with the kind its column needs', () => {
    const payment = aPayment({
      alipayTransactionId: 'ALI',
      approvalCode: '123456',
      failureReason: 'declined',
      failureCode: 'X',
      cancelReason: 'operator',
      ownerInstance: 'switch-a',
    });
    const columns = columnsOf(PAYMENTS);
    expect(Object.keys(columns).sort()).toEqual(Object.keys(payment).sort());
    expect(columns).toMatchObject({
      id: ['id', 'text'],
      paymentRequestId: ['payment_request_id', 'text'],
      amountMinor: ['amount_minor', 'number'],
      alipayTransactionId: ['alipay_transaction_id', 'optional'],
      manualIntervention: ['manual_intervention', 'flag'],
      gatewayDeadlineAt: ['gateway_deadline_at', 'date'],
      ownerInstance: ['owner_instance', 'optional'],
    });
  });

  it('map every property of a refund', () => {
    const refund = aRefund({
      alipayRefundId: 'R',
      approvalCode: '1',
      failureReason: 'declined',
      failureCode: 'X',
      ownerInstance: 'switch-a',
    });
    const columns = columnsOf(REFUNDS);
    expect(Object.keys(columns).sort()).toEqual(Object.keys(refund).sort());
    expect(columns).toMatchObject({
      retryUntil: ['retry_until', 'date'],
      alipayRefundId: ['alipay_refund_id', 'optional'],
      ownerInstance: ['owner_instance', 'optional'],
    });
  });
});
