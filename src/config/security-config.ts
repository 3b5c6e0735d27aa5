import type { EnvReader } from './env-reader';

/** Settings of docs/operations.md "Security": what limits a stolen terminal identity or a hostile network. */
export interface SecurityConfig {
  /** Per merchant and UTC day; a refund that would pass either limit is answered 61. Unset: not limited. */
  readonly refundDailyLimit: { readonly amountMinor?: number; readonly count?: number };
}

export function readSecurityConfig(read: EnvReader): SecurityConfig {
  return {
    refundDailyLimit: {
      amountMinor: read.optionalInteger('REFUND_DAILY_LIMIT_MINOR', { min: 0 }),
      count: read.optionalInteger('REFUND_DAILY_LIMIT_COUNT', { min: 0 }),
    },
  };
}
