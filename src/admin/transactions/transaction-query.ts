/** Reads of payments for ops: the filtered, paged list and one payment with everything that happened to it. */
import { Brackets, type SelectQueryBuilder } from 'typeorm';
import {
  CancelJobEntity,
  ManualInterventionEntity,
  PaymentEntity,
  PaymentEventEntity,
  RefundEntity,
} from '../../persistence/entities';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { decodeCursor, pageOf, type Page } from '../http/paging';
import { notFound } from '../http/problem';
import { utcText } from '../http/sql';
import {
  cancelJobView,
  historyView,
  interventionView,
  paymentView,
  refundView,
  type PaymentView,
} from './transaction-views';

export interface TransactionFilter {
  terminalId?: string;
  merchantId?: string;
  channel?: string;
  state?: string;
  rrn?: string;
  stan?: string;
  paymentRequestId?: string;
  alipayTransactionId?: string;
  minAmountMinor?: number;
  maxAmountMinor?: number;
  from?: Date;
  to?: Date;
  /** Alipay's outcome or the cancel is not settled yet: RECEIVED, AWAITING_ALIPAY, CANCEL_REQUESTED. */
  inDoubt?: boolean;
}

const IN_DOUBT = ['RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED'];

export class TransactionQuery {
  constructor(private readonly uow: UnitOfWork) {}

  /** Newest first. */
  async list(filter: TransactionFilter, limit: number, cursor: unknown): Promise<Page<PaymentView>> {
    const after = decodeCursor(cursor, 2);
    const found = await this.uow.read((m) => {
      const q = m.createQueryBuilder(PaymentEntity, 'p');
      applyFilter(q, filter);
      if (after) {
        q.andWhere(
          new Brackets((w) =>
            w
              .where('p.created_at < :at', { at: after[0] })
              .orWhere('(p.created_at = :at AND p.id < :id)', { at: after[0], id: after[1] }),
          ),
        );
      }
      return q.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').take(limit + 1).getMany();
    });
    return pageOf(found, limit, paymentView, (p) => [utcText(p.createdAt), p.id]);
  }

  async detail(paymentRequestId: string) {
    return this.uow.read(async (m) => {
      const payment = await m.findOneBy(PaymentEntity, { paymentRequestId });
      if (!payment) throw notFound(`no payment has paymentRequestId ${paymentRequestId}`);
      const [refunds, history, cancelJob, interventions] = await Promise.all([
        m.find(RefundEntity, { where: { paymentId: payment.id }, order: { createdAt: 'ASC' } }),
        m.find(PaymentEventEntity, { where: { paymentId: payment.id }, order: { id: 'ASC' } }),
        m.findOneBy(CancelJobEntity, { paymentRequestId }),
        m.find(ManualInterventionEntity, { where: { paymentRequestId }, order: { id: 'ASC' } }),
      ]);
      return {
        payment: paymentView(payment),
        refunds: refunds.map(refundView),
        history: history.map(historyView),
        ...(cancelJob ? { cancelJob: cancelJobView(cancelJob) } : {}),
        interventions: interventions.map(interventionView),
      };
    });
  }
}

function applyFilter(q: SelectQueryBuilder<PaymentEntity>, f: TransactionFilter): void {
  const equal: Array<[keyof TransactionFilter, string]> = [
    ['terminalId', 'terminal_id'],
    ['merchantId', 'merchant_id'],
    ['channel', 'channel'],
    ['state', 'state'],
    ['rrn', 'rrn'],
    ['stan', 'stan'],
    ['paymentRequestId', 'payment_request_id'],
    ['alipayTransactionId', 'alipay_transaction_id'],
  ];
  for (const [name, column] of equal) {
    const value = f[name];
    if (value !== undefined) q.andWhere(`p.${column} = :${name}`, { [name]: value });
  }
  if (f.minAmountMinor !== undefined) q.andWhere('p.amount_minor >= :minAmount', { minAmount: f.minAmountMinor });
  if (f.maxAmountMinor !== undefined) q.andWhere('p.amount_minor <= :maxAmount', { maxAmount: f.maxAmountMinor });
  if (f.from) q.andWhere('p.created_at >= :from', { from: utcText(f.from) });
  if (f.to) q.andWhere('p.created_at < :to', { to: utcText(f.to) });
  if (f.inDoubt === true) q.andWhere('p.state IN (:...inDoubt)', { inDoubt: IN_DOUBT });
  if (f.inDoubt === false) q.andWhere('p.state NOT IN (:...inDoubt)', { inDoubt: IN_DOUBT });
}
