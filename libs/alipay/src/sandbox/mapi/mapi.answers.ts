import { declineCode } from '../codes';
import { SandboxPayment } from '../ledger';
import { currencyExponent, minorToMajor } from '../money';
import { beijingCompact } from '../wire-time';

/** Children of response/alipay plus the code the ledger records (error when there is one). */
export interface MapiAnswer {
  fields: Record<string, string>;
  resultCode: string;
}

export function answer(fields: Record<string, string>): MapiAnswer {
  return { fields, resultCode: fields.error ?? fields.result_code ?? '' };
}

export const major = (p: SandboxPayment, minor: number): string =>
  minorToMajor(minor, currencyExponent(p.currency));

/** The settlement currency the merchant named (`currency`); the ledger keeps the pricing currency. */
const settlementCurrency = (p: SandboxPayment): string => p.extra.currency ?? p.currency;

export function tradeFields(p: SandboxPayment): Record<string, string> {
  const fields: Record<string, string> = {
    alipay_buyer_login_id: '138****0000',
    alipay_buyer_user_id: '2088000000000000',
    alipay_trans_id: p.alipayTransactionId,
    currency: settlementCurrency(p),
    partner_trans_id: p.id,
    trans_amount: major(p, p.amountMinor),
  };
  if (p.extra.trans_currency) fields.trans_currency = p.extra.trans_currency;
  if (p.paidAt) {
    fields.alipay_pay_time = beijingCompact(p.paidAt);
    fields.payment_inst = 'ALIPAYCN';
  }
  return fields;
}

/** spot.pay result_code SUCCESS | FAILED | UNKNOW; the user still confirming is UNKNOW + WAIT_BUYER_PAY. */
export function payApproved(p: SandboxPayment): MapiAnswer {
  return answer({ result_code: 'SUCCESS', ...tradeFields(p) });
}

export function payProcessing(p: SandboxPayment): MapiAnswer {
  return answer({ result_code: 'UNKNOW', alipay_trans_status: 'WAIT_BUYER_PAY', ...tradeFields(p) });
}

export function payFailed(id: string, error: string, description: string): MapiAnswer {
  return answer({
    result_code: 'FAILED',
    error,
    detail_error_code: error,
    detail_error_des: description,
    partner_trans_id: id,
  });
}

export function payDeclined(p: SandboxPayment): MapiAnswer {
  const { code, message } = declineCode('mapi', p.declineReason ?? 'invalid-code');
  return payFailed(p.id, code, message);
}

/** alipay_trans_status: cancelled, failed and fully refunded trades are all TRADE_CLOSED. */
export function transStatus(p: SandboxPayment): 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' {
  switch (p.status) {
    case 'PROCESSING':
      return 'WAIT_BUYER_PAY';
    case 'SUCCESS':
      return 'TRADE_SUCCESS';
    case 'FAILED':
    case 'CANCELLED':
    case 'REFUNDED':
      return 'TRADE_CLOSED';
  }
}

/** query, cancel and refund say SUCCESS | FAIL (spot.pay alone says FAILED). */
export function fail(error: string, extra: Record<string, string> = {}): MapiAnswer {
  return answer({ result_code: 'FAIL', error, ...extra });
}
