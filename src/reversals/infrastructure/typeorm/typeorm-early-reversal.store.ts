import { EarlyReversalEntity } from '../../../persistence/entities';
import { RecordTable, selectRecords, type SqlSession } from '../../../persistence/sql';
import type { UnitOfWork } from '../../../persistence/unit-of-work';
import type { EarlyReversalStore } from '../../application/ports/early-reversal.store.port';
import {
  earlyReversalKey,
  isRepeatOf,
  retiredReversalKey,
  type EarlyReversal,
} from '../../domain/early-reversal';

/** Read on every purchase (is there a reversal waiting for it?), so read with hand-written SQL. */
const EARLY_REVERSALS = new RecordTable<EarlyReversal>('early_reversals', {
  id: ['id', 'text'],
  terminalId: ['terminal_id', 'text'],
  merchantId: ['merchant_id', 'text'],
  originalStan: ['original_stan', 'text'],
  originalMti: ['original_mti', 'optional'],
  originalLocalDateTime: ['original_local_date_time', 'optional'],
  reversalMti: ['reversal_mti', 'text'],
  reversalLocalDateTime: ['reversal_local_date_time', 'text'],
  amountMinor: ['amount_minor', 'optional-number'],
  currencyNumeric: ['currency_numeric', 'optional'],
  receivedAt: ['received_at', 'date'],
  matchedPaymentId: ['matched_payment_id', 'optional'],
  matchedAt: ['matched_at', 'optional-date'],
});

export class TypeOrmEarlyReversalStore implements EarlyReversalStore {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sql: SqlSession,
  ) {}

  async store(reversal: EarlyReversal): Promise<{ reversal: EarlyReversal; repeat: boolean }> {
    const reversalKey = earlyReversalKey(reversal);
    return this.uow.run(async (m) => {
      // A repeat racing its first copy meets the unique key and is ignored; both then read the one row.
      // The insert comes first so that the read after it sees the row a racing copy committed.
      const insert = () =>
        m.createQueryBuilder().insert().into(EarlyReversalEntity).values(toRow(reversal, reversalKey));
      await insert().orIgnore().execute();
      const stored = fromRow(await m.findOneByOrFail(EarlyReversalEntity, { reversalKey }));
      if (stored.id === reversal.id) return { reversal, repeat: false };
      if (isRepeatOf(stored, reversal)) return { reversal: stored, repeat: true };
      // Another reversal holds the key (bound, or too old to be repeated): it keeps its row, not the key.
      await m.update(EarlyReversalEntity, { id: stored.id }, { reversalKey: retiredReversalKey(stored) });
      await insert().execute();
      return { reversal, repeat: false };
    });
  }

  findByTerminalStan(terminalId: string, originalStan: string): Promise<EarlyReversal[]> {
    return selectRecords(
      this.sql,
      EARLY_REVERSALS,
      'WHERE `terminal_id` = ? AND `original_stan` = ? ORDER BY `received_at` DESC LIMIT 20',
      terminalId,
      originalStan,
    );
  }

  async bind(reversalId: string, paymentId: string, at: Date): Promise<boolean> {
    return this.uow.run(async (m) => {
      await m
        .createQueryBuilder()
        .update(EarlyReversalEntity)
        .set({ matchedPaymentId: paymentId, matchedAt: at })
        .where('id = :reversalId AND matched_payment_id IS NULL', { reversalId })
        .execute();
      const row = await m.findOneBy(EarlyReversalEntity, { id: reversalId });
      return row?.matchedPaymentId === paymentId;
    });
  }
}

function toRow(r: EarlyReversal, reversalKey: string): EarlyReversalEntity {
  return {
    id: r.id,
    reversalKey,
    terminalId: r.terminalId,
    merchantId: r.merchantId,
    originalStan: r.originalStan,
    originalMti: r.originalMti ?? null,
    originalLocalDateTime: r.originalLocalDateTime ?? null,
    reversalMti: r.reversalMti,
    reversalLocalDateTime: r.reversalLocalDateTime,
    amountMinor: r.amountMinor ?? null,
    currencyNumeric: r.currencyNumeric ?? null,
    receivedAt: r.receivedAt,
    matchedPaymentId: r.matchedPaymentId ?? null,
    matchedAt: r.matchedAt ?? null,
  };
}

function fromRow(row: EarlyReversalEntity): EarlyReversal {
  return {
    id: row.id,
    terminalId: row.terminalId,
    merchantId: row.merchantId,
    originalStan: row.originalStan,
    ...(row.originalMti !== null ? { originalMti: row.originalMti } : {}),
    ...(row.originalLocalDateTime !== null ? { originalLocalDateTime: row.originalLocalDateTime } : {}),
    reversalMti: row.reversalMti,
    reversalLocalDateTime: row.reversalLocalDateTime,
    ...(row.amountMinor !== null ? { amountMinor: row.amountMinor } : {}),
    ...(row.currencyNumeric !== null ? { currencyNumeric: row.currencyNumeric } : {}),
    receivedAt: row.receivedAt,
    ...(row.matchedPaymentId !== null ? { matchedPaymentId: row.matchedPaymentId } : {}),
    ...(row.matchedAt !== null ? { matchedAt: row.matchedAt } : {}),
  };
}
