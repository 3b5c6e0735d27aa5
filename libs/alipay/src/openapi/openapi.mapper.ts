import type {
  CancelRequest,
  ChannelOutcome,
  ChannelRaw,
  InquireRequest,
  PayRequest,
  PaymentNotification,
  RefundRequest,
} from '../channel.port';
import { JsonRecord, str } from '../json';
import { formatMajor, parseMajorToMinor } from '../money';
import { failure, notifiedTradeStatus, succeeded, unknown } from '../outcome';
import { parseBeijing } from '../time';
import { OPENAPI_UNKNOWN_SUB_CODES, openapiFailureReason, openapiGatewayReason } from './openapi.codes';

export const OPENAPI_METHODS = Object.freeze({
  pay: 'alipay.trade.pay',
  inquire: 'alipay.trade.query',
  cancel: 'alipay.trade.cancel',
  refund: 'alipay.trade.refund',
});

export type OpenapiOperation = keyof typeof OPENAPI_METHODS;

/** The Open Platform prices in CNY; any other currency is the pricing currency (trans_currency). */
const HOME_CURRENCY = 'CNY';

function compact(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function openapiPayBiz(req: PayRequest): Record<string, string> {
  return compact({
    out_trade_no: req.paymentRequestId,
    scene: 'bar_code',
    auth_code: req.paymentCode,
    product_code: 'FACE_TO_FACE_PAYMENT',
    subject: req.subject,
    total_amount: formatMajor(req.amount.amountMinor, req.amount.currency),
    trans_currency: req.amount.currency === HOME_CURRENCY ? undefined : req.amount.currency,
    store_id: req.merchant.storeId,
    terminal_id: req.merchant.terminalId,
  });
}

export function openapiQueryBiz(req: InquireRequest): Record<string, string> {
  return { out_trade_no: req.paymentRequestId };
}

export function openapiCancelBiz(req: CancelRequest): Record<string, string> {
  return { out_trade_no: req.paymentRequestId };
}

export function openapiRefundBiz(req: RefundRequest): Record<string, string> {
  return compact({
    out_trade_no: req.paymentRequestId,
    trade_no: req.alipayTransactionId,
    out_request_no: req.refundRequestId,
    refund_amount: formatMajor(req.amount.amountMinor, req.amount.currency),
    refund_reason: req.reason,
    store_id: req.merchant.storeId,
    terminal_id: req.merchant.terminalId,
  });
}

/** Normalises a verified `<method>_response` / `error_response` node. */
export function mapOpenapiResponse(
  op: OpenapiOperation,
  node: JsonRecord,
  raw: (resultCode?: string) => ChannelRaw,
): ChannelOutcome {
  const code = str(node.code) ?? '';
  const subCode = str(node.sub_code);
  const r = raw(subCode ?? code);
  // alipay.trade.cancel says "ask again" with retry_flag=Y, whatever the code.
  if (op === 'cancel' && str(node.retry_flag) === 'Y')
    return unknown('status-unknown', `retry_flag Y (${subCode ?? code})`, r);
  switch (code) {
    case '10000':
      return op === 'inquire' ? mapTradeStatus(node, r) : success(op, node, r);
    case '10003':
      // "waiting for the user" only describes a payment; for cancel/refund it is not a result.
      return op === 'pay' || op === 'inquire'
        ? { kind: 'processing', raw: r }
        : unknown('status-unknown', 'code 10003', r);
    case '20000':
      return unknown('status-unknown', `code 20000 ${subCode ?? ''}`.trim(), r);
    case '40004':
      if (subCode !== undefined && OPENAPI_UNKNOWN_SUB_CODES.has(subCode)) {
        return unknown('status-unknown', `code 40004 ${subCode}`, r);
      }
      return failure(subCode ?? code, openapiFailureReason(subCode), r);
    default: {
      const reason = openapiGatewayReason(code);
      return reason
        ? failure(subCode ?? code, reason, r)
        : unknown('status-unknown', `code ${code.slice(0, 16) || 'missing'}`, r);
    }
  }
}

function success(op: OpenapiOperation, node: JsonRecord, raw: ChannelRaw): ChannelOutcome {
  const tradeNo = str(node.trade_no);
  const at = parseBeijing(str(op === 'refund' || op === 'cancel' ? node.gmt_refund_pay : node.gmt_payment));
  return succeeded(raw, tradeNo, at);
}

function mapTradeStatus(node: JsonRecord, raw: ChannelRaw): ChannelOutcome {
  const status = str(node.trade_status);
  switch (status ?? '') {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return success('pay', { ...node, gmt_payment: node.send_pay_date ?? node.gmt_payment }, raw);
    case 'WAIT_BUYER_PAY':
      return { kind: 'processing', raw };
    case 'TRADE_CLOSED':
      return failure('TRADE_CLOSED', 'closed', raw);
    default:
      return unknown('status-unknown', `trade_status ${status?.slice(0, 32) ?? 'missing'}`, raw);
  }
}

/** Async notification (form fields) -> the payment's result; WAIT_BUYER_PAY and unknown statuses are ignored. */
export function parseOpenapiNotification(params: Record<string, string>): PaymentNotification | undefined {
  const paymentRequestId = params.out_trade_no;
  if (!paymentRequestId) return undefined;
  const status = notifiedTradeStatus(params.trade_status);
  if (!status) return undefined;
  const notification: PaymentNotification = { paymentRequestId, status };
  const currency = params.trans_currency || HOME_CURRENCY;
  if (params.total_amount) {
    try {
      notification.amount = { amountMinor: parseMajorToMinor(params.total_amount, currency), currency };
    } catch {
      // An amount we cannot read is left out; the engine compares amounts only when present.
    }
  }
  if (params.trade_no) notification.alipayTransactionId = params.trade_no;
  return notification;
}
