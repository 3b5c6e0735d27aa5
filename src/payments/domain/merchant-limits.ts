/**
 * Limits an acquirer sets on one merchant. Each is optional: a limit left out means the merchant has none
 * of its own, and for refunds the switch-wide REFUND_DAILY_LIMIT_* setting (if any) applies instead.
 */
export interface MerchantLimits {
  /** The most one purchase may be, in minor units of its currency. */
  readonly purchaseMaxMinor?: number;
  /** Minor units the merchant may refund per UTC day. */
  readonly refundDailyMaxMinor?: number;
  /** Refunds the merchant may make per UTC day. */
  readonly refundDailyMaxCount?: number;
}

/** True when a purchase of `amountMinor` is above the merchant's own maximum. */
export function exceedsPurchaseMax(limits: MerchantLimits | undefined, amountMinor: number): boolean {
  return limits?.purchaseMaxMinor !== undefined && amountMinor > limits.purchaseMaxMinor;
}
