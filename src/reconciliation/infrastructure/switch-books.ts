/**
 * The switch's payments and refunds as reconciliation reads them: one channel-day in pages (keyset on
 * created_at, id, so a million rows never sit in one result), and single ids in batches. Plain reads;
 * every change goes through the payments engine.
 */
import { currencyByNumeric, type ChannelName } from '@switch/alipay';
import type { PaymentState } from '../../payments/domain/payment';
import type { RefundState } from '../../payments/domain/refund';
import { dateFrom, numberFrom, utcText, type ColumnValue } from '../../persistence/sql/sql-values';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { SwitchPaymentRecord, SwitchRefundRecord } from '../domain/switch-records';

const PAGE = 5_000;
const BATCH = 500;

type Row = Record<string, ColumnValue>;

/** A payment as the orphan fixer needs it. */
export interface StoredPaymentRef {
  readonly id: string;
  readonly paymentRequestId: string;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly state: PaymentState;
  readonly alipayTransactionId?: string;
}

export class SwitchBooks {
  constructor(private readonly uow: UnitOfWork) {}

  paymentsOfDay(channel: ChannelName, start: Date, end: Date): AsyncGenerator<SwitchPaymentRecord[]> {
    return this.pagesOfDay('payments', PAYMENT_COLUMNS, paymentRecord, channel, start, end);
  }

  refundsOfDay(channel: ChannelName, start: Date, end: Date): AsyncGenerator<SwitchRefundRecord[]> {
    return this.pagesOfDay('refunds', REFUND_COLUMNS, refundRecord, channel, start, end);
  }

  private async *pagesOfDay<T>(
    table: string,
    columns: string,
    map: (row: Row) => T,
    channel: ChannelName,
    start: Date,
    end: Date,
  ): AsyncGenerator<T[]> {
    // Keyset on created_at alone (a plain index range; an OR on (created_at, id) makes the database scan
    // the day again for every page): the rows of the boundary instant already handed over are skipped.
    let from = utcText(start);
    let seenAtFrom = new Set<string>();
    for (;;) {
      const limit = PAGE + seenAtFrom.size;
      const rows = await this.uow.read((m) =>
        m.query<Row[]>(
          `SELECT ${columns} FROM ${table} WHERE channel = ? AND created_at >= ? AND created_at < ?
             ORDER BY created_at, id LIMIT ${limit}`,
          [channel, from, utcText(end)],
        ),
      );
      const fresh = rows.filter(
        (r) => !seenAtFrom.has(String(r.id)) || utcText(dateFrom(r.created_at)) !== from,
      );
      if (fresh.length > 0) yield fresh.map(map);
      if (rows.length < limit) return;
      const lastAt = utcText(dateFrom(rows[rows.length - 1].created_at));
      const atLast = rows.filter((r) => utcText(dateFrom(r.created_at)) === lastAt).map((r) => String(r.id));
      seenAtFrom = new Set(lastAt === from ? [...seenAtFrom, ...atLast] : atLast);
      from = lastAt;
    }
  }

  paymentsByRequestId(ids: readonly string[]): Promise<SwitchPaymentRecord[]> {
    return this.inBatches(ids, 'payments', 'payment_request_id', paymentRecord, PAYMENT_COLUMNS);
  }

  refundsByRequestId(ids: readonly string[]): Promise<SwitchRefundRecord[]> {
    return this.inBatches(ids, 'refunds', 'refund_request_id', refundRecord, REFUND_COLUMNS);
  }

  async requestIdsByAlipayId(
    ids: readonly string[],
  ): Promise<{ alipayTransactionId: string; paymentRequestId: string }[]> {
    return this.inBatches(
      ids,
      'payments',
      'alipay_transaction_id',
      (r) => ({
        alipayTransactionId: String(r.alipay_transaction_id),
        paymentRequestId: String(r.payment_request_id),
      }),
      'alipay_transaction_id, payment_request_id',
    );
  }

  async paymentRef(paymentRequestId: string): Promise<StoredPaymentRef | undefined> {
    const rows = await this.uow.read((m) =>
      m.query<Row[]>(
        `SELECT id, payment_request_id, merchant_id, terminal_id, state, alipay_transaction_id
           FROM payments WHERE payment_request_id = ?`,
        [paymentRequestId],
      ),
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: String(r.id),
      paymentRequestId: String(r.payment_request_id),
      merchantId: String(r.merchant_id),
      terminalId: String(r.terminal_id),
      state: String(r.state) as PaymentState,
      ...(r.alipay_transaction_id ? { alipayTransactionId: String(r.alipay_transaction_id) } : {}),
    };
  }

  private async inBatches<T>(
    ids: readonly string[],
    table: string,
    column: string,
    map: (row: Row) => T,
    columns: string,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const rows = await this.uow.read((m) =>
        m.query<Row[]>(
          `SELECT ${columns} FROM ${table} WHERE ${column} IN (${batch.map(() => '?').join(',')})`,
          batch,
        ),
      );
      out.push(...rows.map(map));
    }
    return out;
  }
}

const PAYMENT_COLUMNS =
  'id, payment_request_id, state, delivery, amount_minor, currency_numeric, created_at, updated_at';
const REFUND_COLUMNS = 'id, refund_request_id, state, amount_minor, currency_numeric, created_at';

/** Interned alpha codes: a million records share a handful of strings. */
const alphaByNumeric = new Map<string, string>();
function alphaOf(numeric: ColumnValue): string {
  const key = String(numeric);
  let alpha = alphaByNumeric.get(key);
  if (alpha === undefined) {
    alpha = currencyByNumeric(key)?.alpha ?? key;
    alphaByNumeric.set(key, alpha);
  }
  return alpha;
}

/** Interned state names, for the same reason. */
const states = new Map<string, string>();
function stateOf(value: ColumnValue): string {
  const text = String(value);
  let state = states.get(text);
  if (state === undefined) {
    state = text;
    states.set(text, text);
  }
  return state;
}

function paymentRecord(r: Row): SwitchPaymentRecord {
  return {
    paymentRequestId: String(r.payment_request_id),
    state: stateOf(r.state) as PaymentState,
    // As in the engine: an approval whose delivery was never recorded (pending: the record is on its way, or
    // the process died after writing the 00) counts as delivered. Only a known failed write is undelivered.
    delivered: r.delivery !== 'undelivered',
    amountMinor: numberFrom(r.amount_minor),
    currency: alphaOf(r.currency_numeric),
    updatedAt: dateFrom(r.updated_at),
  };
}

function refundRecord(r: Row): SwitchRefundRecord {
  return {
    refundRequestId: String(r.refund_request_id),
    state: stateOf(r.state) as RefundState,
    amountMinor: numberFrom(r.amount_minor),
    currency: alphaOf(r.currency_numeric),
  };
}
