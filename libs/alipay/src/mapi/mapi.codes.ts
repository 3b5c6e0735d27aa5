import type { FailureReason } from '../channel.port';

/** MAPI `error` codes (spot.pay, query, cancel, spot.refund) by what they mean for the transaction. */
export const MAPI_FAILURE_REASONS: Readonly<Record<string, FailureReason>> = Object.freeze({
  BUYER_BALANCE_NOT_ENOUGH: 'insufficient-balance',
  BUYER_BANKCARD_BALANCE_NOT_ENOUGH: 'insufficient-balance',
  INVALID_IDENTITY_CODE: 'invalid-code',
  PAYMENT_AUTH_CODE_INVALID: 'invalid-code',
  EXPIRED_IDENTITY_CODE: 'expired-code',
  USER_PAYMENT_VERIFICATION_FAILED: 'user-verification-failed',
  RISK_REJECT: 'risk-rejected',
  BUYER_ENABLE_STATUS_FORBID: 'risk-rejected',
  REASON_TRADE_BEEN_FREEZEN: 'risk-rejected',
  TOTAL_FEE_EXCEED: 'amount-limit',
  PAYMENT_AMOUNT_EXCEED_LIMIT: 'amount-limit',
  PAYMENT_COUNT_EXCEED_LIMIT: 'count-limit',
  TRADE_NOT_EXIST: 'not-found',
  TRANS_NOT_FOUND: 'not-found',
  TRADE_HAS_CLOSE: 'closed',
  TRADE_CLOSED: 'closed',
  TRADE_STATUS_ERROR: 'closed',
  CANCEL_WINDOW_EXCEED: 'cancel-window-exceeded',
  REFUND_WINDOW_EXCEED: 'refund-window-exceeded',
  REFUND_AMOUNT_EXCEED: 'refund-amount-exceeded',
  RETURN_AMOUNT_EXCEED: 'refund-amount-exceeded',
  REPEAT_REQ_INCONSISTENT: 'duplicate-inconsistent',
  TRADE_BUYER_NOT_MATCH: 'duplicate-inconsistent',
  CONTEXT_INCONSISTENT: 'duplicate-inconsistent',
  PARAM_ILLEGAL: 'invalid-request',
  CURRENCY_NOT_SUPPORT: 'currency-not-supported',
  HAS_NO_PRIVILEGE: 'merchant-not-permitted',
  ACCESS_FORBIDDEN: 'merchant-not-permitted',
  PAYMENT_FAIL: 'declined',
});

/** Errors after which the trade's state is not known; the engine inquires (001 seed: retry on SYSTEM_ERROR). */
export const MAPI_UNKNOWN_ERRORS: ReadonlySet<string> = new Set(['SYSTEM_ERROR', 'TRADE_HAS_SUCCESS']);

export function mapiFailureReason(error: string | undefined): FailureReason {
  if (error === undefined || error === '') return 'declined';
  const known = MAPI_FAILURE_REASONS[error];
  if (known) return known;
  // Families whose members Alipay documents loosely: ILLEGAL_SIGN, ILLEGAL_PARTNER, ILLEGAL_ARGUMENT, ...
  if (error.startsWith('ILLEGAL_')) return 'invalid-request';
  if (/(IDENTITY|AUTH|BUYER)_CODE/.test(error)) return error.includes('EXPIRE') ? 'expired-code' : 'invalid-code';
  if (error.includes('RISK')) return 'risk-rejected';
  if (error.includes('EXCEED_LIMIT')) return 'amount-limit';
  return 'declined';
}
