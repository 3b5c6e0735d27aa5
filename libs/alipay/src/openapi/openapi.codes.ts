import type { FailureReason } from '../channel.port';

/** Open Platform 40004 sub-codes (trade.pay/query/cancel/refund) by what they mean for the transaction. */
export const OPENAPI_FAILURE_REASONS: Readonly<Record<string, FailureReason>> = Object.freeze({
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': 'insufficient-balance',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': 'insufficient-balance',
  'ACQ.PAYMENT_AUTH_CODE_INVALID': 'invalid-code',
  'ACQ.TRADE_NOT_EXIST': 'not-found',
  'ACQ.TRADE_HAS_CLOSE': 'closed',
  'ACQ.TRADE_STATUS_ERROR': 'closed',
  'ACQ.REASON_TRADE_STATUS_INVALID': 'closed',
  'ACQ.TOTAL_FEE_EXCEED': 'amount-limit',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': 'amount-limit',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': 'amount-limit',
  'ACQ.PRODUCT_AMOUNT_LIMIT_ERROR': 'amount-limit',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': 'risk-rejected',
  'ACQ.PAYMENT_REQUEST_HAS_RISK': 'risk-rejected',
  'ACQ.REASON_TRADE_BEEN_FREEZEN': 'risk-rejected',
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT': 'user-verification-failed',
  'ACQ.TRADE_CANCEL_TIME_OUT': 'cancel-window-exceeded',
  'ACQ.TRADE_HAS_FINISHED': 'refund-window-exceeded',
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': 'refund-amount-exceeded',
  'ACQ.REFUND_FEE_ERROR': 'refund-amount-exceeded',
  'ACQ.REASON_TRADE_REFUND_FEE_ERR': 'refund-amount-exceeded',
  'ACQ.CONTEXT_INCONSISTENT': 'duplicate-inconsistent',
  'ACQ.TRADE_BUYER_NOT_MATCH': 'duplicate-inconsistent',
  'ACQ.INVALID_PARAMETER': 'invalid-request',
  'ACQ.BUYER_SELLER_EQUAL': 'invalid-request',
  'ACQ.ACCESS_FORBIDDEN': 'merchant-not-permitted',
  'ACQ.MERCHANT_AGREEMENT_NOT_EXIST': 'merchant-not-permitted',
  'ACQ.MERCHANT_AGREEMENT_INVALIDATE': 'merchant-not-permitted',
  'ACQ.PAYMENT_FAIL': 'declined',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': 'declined',
});

/**
 * Sub-codes after which the trade's state is not known: ACQ.SYSTEM_ERROR ("query at once") and
 * ACQ.TRADE_HAS_SUCCESS (already paid, possibly by this very request: an inquiry settles it).
 */
export const OPENAPI_UNKNOWN_SUB_CODES: ReadonlySet<string> = new Set(['ACQ.SYSTEM_ERROR', 'ACQ.TRADE_HAS_SUCCESS']);

export function openapiFailureReason(subCode: string | undefined): FailureReason {
  if (subCode === undefined) return 'declined';
  const known = OPENAPI_FAILURE_REASONS[subCode];
  if (known) return known;
  // Alipay adds risk sub-codes over time (ACQ.RISK_*, ..._RISK); they all mean the same to a cashier.
  return subCode.includes('RISK') ? 'risk-rejected' : 'declined';
}

/** Gateway-level codes (not 40004): what they mean when they end a call. */
export function openapiGatewayReason(code: string): FailureReason | undefined {
  switch (code) {
    case '20001': // app_auth_token / auth_token problem
    case '40006': // insufficient permissions
      return 'merchant-not-permitted';
    case '40001': // missing parameter
    case '40002': // invalid parameter, incl. isv.invalid-signature
      return 'invalid-request';
    default:
      return undefined;
  }
}
