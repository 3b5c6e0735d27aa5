import type {
  CancelRequest,
  ChannelOutcome,
  ChannelRaw,
  InquireRequest,
  PayRequest,
  PaymentNotification,
  RefundRequest,
} from '../channel.port';
import { formatMajor, parseMajorToMinor } from '../money';
import { failure, notifiedTradeStatus, succeeded, unknown } from '../outcome';
import { beijingCompact, parseBeijing } from '../time';
import { MAPI_UNKNOWN_ERRORS, mapiFailureReason } from './mapi.codes';
import { childOf, leafMap, XmlElement } from './xml';

export const MAPI_SERVICES = Object.freeze({
  pay: 'alipay.acquire.overseas.spot.pay',
  inquire: 'alipay.acquire.overseas.query',
  cancel: 'alipay.acquire.cancel',
  refund: 'alipay.acquire.overseas.spot.refund',
});

export type MapiOperation = keyof typeof MAPI_SERVICES;

export type MapiParams = Record<string, string | undefined>;

export function mapiPayParams(req: PayRequest, partner: string): MapiParams {
  const m = req.merchant;
  const amount = formatMajor(req.amount.amountMinor, req.amount.currency);
  return {
    alipay_seller_id: partner,
    quantity: '1',
    trans_name: req.subject,
    partner_trans_id: req.paymentRequestId,
    currency: req.amount.currency,
    trans_currency: req.amount.currency,
    trans_amount: amount,
    buyer_identity_code: req.paymentCode,
    identity_code_type: 'barcode',
    trans_create_time: beijingCompact(req.terminalRequestTime),
    biz_product: 'OVERSEAS_MBARCODE_PAY',
    notify_url: req.notifyUrl,
    extend_info: JSON.stringify({
      secondary_merchant_id: m.merchantId,
      secondary_merchant_name: m.merchantName,
      secondary_merchant_industry: m.mcc,
      store_id: m.storeId,
      store_name: m.storeName,
      terminal_id: m.terminalId,
    }),
  };
}

export function mapiQueryParams(req: InquireRequest): MapiParams {
  return { partner_trans_id: req.paymentRequestId };
}

/** alipay.acquire.cancel names our id out_trade_no; timestamp is epoch milliseconds. */
export function mapiCancelParams(req: CancelRequest, now: Date): MapiParams {
  return { out_trade_no: req.paymentRequestId, timestamp: String(now.getTime()) };
}

/** is_sync=Y: the answer is final in the response, no refund notification to wait for. */
export function mapiRefundParams(req: RefundRequest): MapiParams {
  return {
    partner_trans_id: req.paymentRequestId,
    alipay_trans_id: req.alipayTransactionId,
    partner_refund_id: req.refundRequestId,
    refund_amount: formatMajor(req.amount.amountMinor, req.amount.currency),
    currency: req.amount.currency,
    refund_reason: req.reason,
    is_sync: 'Y',
  };
}

/** The parts of a MAPI XML answer: `<alipay><is_success/><error/>...<response><alipay>fields</alipay></response><sign/>`. */
export interface MapiAnswer {
  isSuccess?: string;
  error?: string;
  /** Children of response/alipay, the signed set. */
  fields?: Record<string, string>;
  sign?: string;
}

export function readMapiAnswer(root: XmlElement): MapiAnswer {
  const top = leafMap(root);
  const responseAlipay = childOf(childOf(root, 'response'), 'alipay');
  return {
    isSuccess: top.is_success,
    error: top.error,
    fields: responseAlipay ? leafMap(responseAlipay) : undefined,
    sign: top.sign,
  };
}

/** Normalises a MAPI answer whose signature has already been checked (or is an unsigned is_success=F). */
export function mapMapiAnswer(
  op: MapiOperation,
  answer: MapiAnswer,
  raw: (resultCode?: string) => ChannelRaw,
): ChannelOutcome {
  if (answer.isSuccess === 'F') {
    // The request itself was refused (bad signature, parameters, partner) or the gateway failed.
    const error = answer.error ?? 'UNKNOWN_ERROR';
    const r = raw(error);
    if (MAPI_UNKNOWN_ERRORS.has(error)) return unknown('status-unknown', `is_success F ${error}`, r);
    return failure(error, mapiFailureReason(error), r);
  }
  const fields = answer.fields;
  if (answer.isSuccess !== 'T' || !fields)
    return unknown('status-unknown', 'no result in response', raw(answer.error));

  const resultCode = fields.result_code;
  const error = fields.error || fields.detail_error_code;
  const r = raw(error || resultCode);
  if (op === 'cancel' && fields.retry_flag === 'Y')
    return unknown('status-unknown', `retry_flag Y ${error ?? ''}`.trim(), r);
  switch (resultCode) {
    case 'SUCCESS':
      return op === 'inquire' ? mapTransStatus(fields, r) : success(op, fields, r);
    case 'FAILED':
    case 'FAIL':
      if (error && MAPI_UNKNOWN_ERRORS.has(error))
        return unknown('status-unknown', `${resultCode} ${error}`, r);
      return failure(error || resultCode, mapiFailureReason(error), r);
    case 'UNKNOW':
    case 'UNKNOWN':
      // The user may be typing a PIN: spot.pay says so through alipay_trans_status when it knows.
      if ((op === 'pay' || op === 'inquire') && fields.alipay_trans_status === 'WAIT_BUYER_PAY') {
        return { kind: 'processing', raw: r };
      }
      return unknown('status-unknown', `result_code ${resultCode}${error ? ` ${error}` : ''}`, r);
    default:
      return unknown('status-unknown', `result_code ${resultCode?.slice(0, 16) ?? 'missing'}`, r);
  }
}

function success(op: MapiOperation, fields: Record<string, string>, raw: ChannelRaw): ChannelOutcome {
  const id = op === 'cancel' ? fields.trade_no || fields.alipay_trans_id : fields.alipay_trans_id;
  const at = parseBeijing(fields.alipay_pay_time);
  return succeeded(raw, id || undefined, op !== 'cancel' && op !== 'refund' ? at : undefined);
}

function mapTransStatus(fields: Record<string, string>, raw: ChannelRaw): ChannelOutcome {
  const status = fields.alipay_trans_status;
  switch (status) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return success('inquire', fields, raw);
    case 'WAIT_BUYER_PAY':
      return { kind: 'processing', raw };
    case 'TRADE_CLOSED':
    case 'TRADE_CANCELLED':
      return failure(status, 'closed', raw);
    default:
      return unknown('status-unknown', `alipay_trans_status ${status?.slice(0, 32) ?? 'missing'}`, raw);
  }
}

/** trade_status_sync notification (form fields) -> the payment's result. */
export function parseMapiNotification(params: Record<string, string>): PaymentNotification | undefined {
  const paymentRequestId = params.partner_trans_id || params.out_trade_no;
  if (!paymentRequestId) return undefined;
  const status = notifiedTradeStatus(params.trade_status);
  if (!status) return undefined;
  const notification: PaymentNotification = { paymentRequestId, status };
  const currency = params.trans_currency || params.currency;
  const major = params.trans_amount || params.total_fee;
  if (currency && major) {
    try {
      notification.amount = { amountMinor: parseMajorToMinor(major, currency), currency };
    } catch {
      // An unreadable amount is left out rather than guessed.
    }
  }
  const id = params.alipay_trans_id || params.trade_no;
  if (id) notification.alipayTransactionId = id;
  return notification;
}
