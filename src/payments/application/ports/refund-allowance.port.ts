import type { MerchantLimits } from '../../domain/merchant-limits';

export type MerchantRefundLimits = Pick<MerchantLimits, 'refundDailyMaxMinor' | 'refundDailyMaxCount'>;

/**
 * A merchant's daily refund allowance (amount and count per UTC day). A refund takes its share before it is
 * stored, so a stolen terminal identity cannot drain a merchant faster than the limit lets it.
 */
export interface RefundAllowance {
  /**
   * Takes `amountMinor` and one refund from the merchant's allowance for the UTC day of `at`; false when that
   * would pass a limit. A limit in `own` (the merchant's) replaces the switch-wide one of its kind.
   */
  take(merchantId: string, amountMinor: number, at: Date, own?: MerchantRefundLimits): Promise<boolean>;
  /** Gives back what `take` took for a refund that was then not stored. */
  giveBack(merchantId: string, amountMinor: number, at: Date): Promise<void>;
}
