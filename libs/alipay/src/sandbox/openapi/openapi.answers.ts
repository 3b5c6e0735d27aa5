import { declineCode } from '../codes';
import { SandboxPayment } from '../ledger';
import { currencyExponent, minorToMajor } from '../money';
import { beijingDateTime } from '../wire-time';

/** The `<method>_response` node plus the code the ledger records (sub_code when there is one). */
export interface OpenapiAnswer {
  node: Record<string, unknown>;
  resultCode: string;
}

export function ok(fields: Record<string, unknown>): OpenapiAnswer {
  return { node: { code: '10000', msg: 'Success', ...fields }, resultCode: '10000' };
}

/** 40004 Business Failed with an ACQ.* sub-code. */
export function business(
  subCode: string,
  subMsg: string,
  fields: Record<string, unknown> = {},
): OpenapiAnswer {
  return {
    node: { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg, ...fields },
    resultCode: subCode,
  };
}

/** Gateway-level refusals: 40001 missing parameter, 40002 invalid parameter (signature, app id, method). */
export function gateway(code: '40001' | '40002', subCode: string, subMsg: string): OpenapiAnswer {
  const msg = code === '40001' ? 'Missing Required Arguments' : 'Invalid Arguments';
  return { node: { code, msg, sub_code: subCode, sub_msg: subMsg }, resultCode: subCode };
}

export const major = (p: SandboxPayment, minor: number): string =>
  minorToMajor(minor, currencyExponent(p.currency));

const DEFAULT_BUYER = '2088000000000000';

/** The buyer of an in-app trade is the one its auth_code named; barcode buyers are all the same sandbox user. */
export const buyerOf = (p: SandboxPayment): string => p.extra.buyer_id ?? DEFAULT_BUYER;

const buyer = (p: SandboxPayment) => ({ buyer_logon_id: '138******00', buyer_user_id: buyerOf(p) });

export function paidFields(p: SandboxPayment): Record<string, unknown> {
  const total = major(p, p.amountMinor);
  return {
    ...buyer(p),
    buyer_pay_amount: total,
    fund_bill_list: [{ amount: total, fund_channel: 'ALIPAYACCOUNT' }],
    gmt_payment: beijingDateTime(p.paidAt ?? p.createdAt),
    invoice_amount: total,
    out_trade_no: p.id,
    point_amount: '0.00',
    receipt_amount: total,
    total_amount: total,
    trade_no: p.alipayTransactionId,
    ...(p.extra.trans_currency ? { trans_currency: p.extra.trans_currency } : {}),
  };
}

export function unpaidFields(p: SandboxPayment): Record<string, unknown> {
  return {
    ...buyer(p),
    buyer_pay_amount: '0.00',
    invoice_amount: '0.00',
    out_trade_no: p.id,
    point_amount: '0.00',
    receipt_amount: '0.00',
    total_amount: major(p, p.amountMinor),
    trade_no: p.alipayTransactionId,
  };
}

export function declined(p: SandboxPayment): OpenapiAnswer {
  const { code, message } = declineCode('openapi', p.declineReason ?? 'invalid-code');
  return business(code, message, { buyer_pay_amount: '0.00', out_trade_no: p.id });
}

/** alipay.trade.query trade_status: cancelled, failed and fully refunded trades are all TRADE_CLOSED. */
export function tradeStatus(p: SandboxPayment): 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' {
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

export function queryAnswer(p: SandboxPayment): OpenapiAnswer {
  const paid = p.paidAt !== undefined;
  return ok({
    ...(paid ? paidFields(p) : unpaidFields(p)),
    trade_status: tradeStatus(p),
    ...(paid ? { send_pay_date: beijingDateTime(p.paidAt ?? p.createdAt) } : {}),
  });
}
