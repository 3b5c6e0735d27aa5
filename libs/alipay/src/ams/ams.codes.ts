import type { FailureReason } from '../channel.port';

/** AMS / Alipay+ result codes with status F, by what they mean for the transaction. */
export const AMS_FAILURE_REASONS: Readonly<Record<string, FailureReason>> = Object.freeze({
  USER_BALANCE_NOT_ENOUGH: 'insufficient-balance',
  INVALID_CODE: 'invalid-code',
  EXPIRED_CODE: 'expired-code',
  USER_PAYMENT_VERIFICATION_FAILED: 'user-verification-failed',
  RISK_REJECT: 'risk-rejected',
  USER_AMOUNT_EXCEED_LIMIT: 'amount-limit',
  PAYMENT_AMOUNT_EXCEED_LIMIT: 'amount-limit',
  PAYMENT_COUNT_EXCEED_LIMIT: 'count-limit',
  ORDER_NOT_EXIST: 'not-found',
  ORDER_IS_CLOSED: 'closed',
  CANCEL_WINDOW_EXCEED: 'cancel-window-exceeded',
  REFUND_WINDOW_EXCEED: 'refund-window-exceeded',
  REFUND_AMOUNT_EXCEED: 'refund-amount-exceeded',
  REPEAT_REQ_INCONSISTENT: 'duplicate-inconsistent',
  PARAM_ILLEGAL: 'invalid-request',
  // Our own credentials or signature were refused: the request never took effect.
  INVALID_SIGNATURE: 'invalid-request',
  INVALID_CLIENT: 'invalid-request',
  KEY_NOT_FOUND: 'invalid-request',
  CURRENCY_NOT_SUPPORT: 'currency-not-supported',
  MERCHANT_NOT_REGISTERED: 'merchant-not-permitted',
  ACCESS_DENIED: 'merchant-not-permitted',
  INVALID_MERCHANT_STATUS: 'merchant-not-permitted',
  MERCHANT_KYB_NOT_QUALIFIED: 'merchant-not-permitted',
  // An ISV merchant's Agent-Token is unknown, revoked or expired: the merchant is not authorized (58), as
  // Open Platform's 20001 for an app_auth_token; it says nothing about the payment (no decline on inquiry).
  INVALID_ACCESS_TOKEN: 'merchant-not-permitted',
});

/** Every other F code (PROCESS_FAIL, USER_STATUS_ABNORMAL, USER_KYC_NOT_QUALIFIED, new codes) is a plain decline. */
export function amsFailureReason(code: string | undefined): FailureReason {
  return (code !== undefined && AMS_FAILURE_REASONS[code]) || 'declined';
}

/** U code meaning "the user is still confirming"; every other U is an unknown status. */
export const AMS_IN_PROCESS = 'PAYMENT_IN_PROCESS';
