import type { MerchantRefundLimits, RefundAllowance } from '../payments/application/ports/refund-allowance.port';
import { UnitOfWork } from './unit-of-work';

export interface RefundLimits {
  /** Minor units a merchant may refund per UTC day; undefined: no amount limit. */
  readonly amountMinor?: number;
  /** Refunds a merchant may make per UTC day; undefined: no count limit. */
  readonly count?: number;
}

const TABLE = 'refund_day_totals';

/**
 * Daily refund totals per merchant in `refund_day_totals`. The limit is checked inside the UPDATE that adds
 * to the total, so concurrent refunds (on any number of switch nodes) can never pass it together.
 */
export class RefundDayAllowance implements RefundAllowance {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly limits: RefundLimits,
  ) {}

  async take(merchantId: string, amountMinor: number, at: Date, own: MerchantRefundLimits = {}): Promise<boolean> {
    const day = utcDay(at);
    const limits: RefundLimits = {
      amountMinor: own.refundDailyMaxMinor ?? this.limits.amountMinor,
      count: own.refundDailyMaxCount ?? this.limits.count,
    };
    // The day's row is made in a transaction of its own: an INSERT IGNORE that meets the row takes a shared
    // lock, and two refunds holding it while each waits to UPDATE deadlock each other on MySQL.
    await this.uow.run((manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(TABLE, ['merchant_id', 'day', 'amount_minor', 'refund_count'])
        .values({ merchant_id: merchantId, day, amount_minor: 0, refund_count: 0 })
        .orIgnore()
        .execute(),
    );
    return this.uow.run(async (manager) => {
      const update = manager
        .createQueryBuilder()
        .update(TABLE)
        .set({ amount_minor: () => 'amount_minor + :amount', refund_count: () => 'refund_count + 1' })
        .where('merchant_id = :merchantId AND day = :day', { merchantId, day, amount: amountMinor });
      if (limits.amountMinor !== undefined)
        update.andWhere('amount_minor + :amount <= :amountLimit', { amountLimit: limits.amountMinor });
      if (limits.count !== undefined)
        update.andWhere('refund_count < :countLimit', { countLimit: limits.count });
      const result = await update.execute();
      return result.affected === 1;
    });
  }

  async giveBack(merchantId: string, amountMinor: number, at: Date): Promise<void> {
    await this.uow.run((manager) =>
      manager
        .createQueryBuilder()
        .update(TABLE)
        .set({ amount_minor: () => 'amount_minor - :amount', refund_count: () => 'refund_count - 1' })
        .where('merchant_id = :merchantId AND day = :day', {
          merchantId,
          day: utcDay(at),
          amount: amountMinor,
        })
        .execute(),
    );
  }
}

function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
