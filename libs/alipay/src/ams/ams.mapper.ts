import type {
  CancelRequest,
  ChannelOutcome,
  ChannelRaw,
  InquireRequest,
  PayRequest,
  PaymentNotification,
  RefundRequest,
} from '../channel.port';
import { asRecord, JsonRecord, parseDate, parseJsonRecord, str } from '../json';
import { failure, succeeded, unknown } from '../outcome';
import { isoUtc } from '../time';
import { AMS_IN_PROCESS, amsFailureReason } from './ams.codes';

export const AMS_PATHS = Object.freeze({
  pay: '/ams/api/v1/payments/pay',
  inquire: '/ams/api/v1/payments/inquiryPayment',
  cancel: '/ams/api/v1/payments/cancel',
  refund: '/ams/api/v1/payments/refund',
});

export type AmsOperation = keyof typeof AMS_PATHS;

// Alipay+ asks for optional fields to be omitted, never sent as "": `compact` drops undefined and "".
function compact<T extends JsonRecord>(record: T): T {
  for (const key of Object.keys(record)) {
    if (record[key] === undefined || record[key] === '') delete record[key];
  }
  return record;
}

/** User-presented mode pay: the payment code goes in paymentMethod.paymentMethodId. */
export function amsPayBody(req: PayRequest): JsonRecord {
  const amount = { currency: req.amount.currency, value: String(req.amount.amountMinor) };
  const m = req.merchant;
  return compact({
    productCode: 'IN_STORE_PAYMENT',
    paymentRequestId: req.paymentRequestId,
    paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: req.paymentCode },
    paymentFactor: { inStorePaymentScenario: 'PaymentCode' },
    paymentAmount: amount,
    order: {
      referenceOrderId: req.paymentRequestId,
      orderDescription: req.subject,
      orderAmount: amount,
      merchant: {
        referenceMerchantId: m.merchantId,
        merchantName: m.merchantName,
        merchantMCC: m.mcc,
        store: { referenceStoreId: m.storeId, storeName: m.storeName, storeMCC: m.mcc },
      },
      env: { storeTerminalId: m.terminalId, storeTerminalRequestTime: isoUtc(req.terminalRequestTime) },
    },
    paymentNotifyUrl: req.notifyUrl,
  });
}

export function amsInquiryBody(req: InquireRequest): JsonRecord {
  return { paymentRequestId: req.paymentRequestId };
}

export function amsCancelBody(req: CancelRequest): JsonRecord {
  return { paymentRequestId: req.paymentRequestId };
}

/** Antom's refund names the payment by Alipay's paymentId alone, as the official SDK sends it. */
export function amsRefundBody(req: RefundRequest & { alipayTransactionId: string }, now: Date): JsonRecord {
  return compact({
    paymentId: req.alipayTransactionId,
    refundRequestId: req.refundRequestId,
    refundAmount: { currency: req.amount.currency, value: String(req.amount.amountMinor) },
    refundRequestTime: isoUtc(now),
    refundReason: req.reason,
  });
}

interface AmsResult {
  status?: string;
  code?: string;
}

function resultOf(node: unknown): AmsResult {
  const r = asRecord(node);
  return { status: str(r?.resultStatus), code: str(r?.resultCode) };
}

/** Normalises a verified AMS response body for the operation that produced it. */
export function mapAmsResponse(
  op: AmsOperation,
  body: JsonRecord,
  raw: (resultCode?: string) => ChannelRaw,
): ChannelOutcome {
  const result = resultOf(body.result);
  const r = raw(result.code);
  switch (result.status ?? '') {
    case 'S':
      return op === 'inquire' ? mapInquiry(body, r) : success(op, body, r);
    case 'F':
      return failure(result.code ?? 'UNKNOWN_FAILURE', amsFailureReason(result.code), r);
    case 'U':
      // Only a payment can be "in process"; a cancel or refund in U must simply be sent again.
      if (result.code === AMS_IN_PROCESS && (op === 'pay' || op === 'inquire'))
        return { kind: 'processing', raw: r };
      return unknown('status-unknown', `result U ${result.code ?? ''}`.trim(), r);
    default:
      return unknown('status-unknown', 'response has no result status', r);
  }
}

function success(op: AmsOperation, body: JsonRecord, raw: ChannelRaw): ChannelOutcome {
  const id = op === 'refund' ? (str(body.refundId) ?? str(body.paymentId)) : str(body.paymentId);
  const at = parseDate(
    str(op === 'refund' ? body.refundTime : op === 'cancel' ? body.cancelTime : body.paymentTime),
  );
  return succeeded(raw, id, at);
}

/** result S only says the inquiry worked; the payment's state is paymentStatus (AMS) or paymentResult (Alipay+). */
function mapInquiry(body: JsonRecord, raw: ChannelRaw): ChannelOutcome {
  const status = str(body.paymentStatus);
  switch (status ?? '') {
    case 'SUCCESS':
      return success('pay', body, raw);
    case 'FAIL': {
      const code = str(body.paymentResultCode);
      return failure(code ?? 'FAIL', amsFailureReason(code), raw);
    }
    case 'PROCESSING':
      return { kind: 'processing', raw };
    case 'CANCELLED':
      return failure('CANCELLED', 'closed', raw);
    default:
      break;
  }
  if (status !== undefined) return unknown('status-unknown', `paymentStatus ${status.slice(0, 32)}`, raw);
  const payment = resultOf(body.paymentResult);
  if (payment.status === 'S') return success('pay', body, raw);
  if (payment.status === 'F') return failure(payment.code ?? 'FAIL', amsFailureReason(payment.code), raw);
  if (payment.status === 'U' && payment.code === AMS_IN_PROCESS) return { kind: 'processing', raw };
  return unknown('status-unknown', 'inquiry without payment status', raw);
}

/**
 * notifyPayment body -> the payment's result. Only PAYMENT_RESULT counts; a notification that states no
 * result at all is ignored (undefined) rather than read as success: the engine can always inquire.
 */
export function parseAmsNotification(rawBody: string): PaymentNotification | undefined {
  const body = parseJsonRecord(rawBody);
  if (!body || str(body.notifyType) !== 'PAYMENT_RESULT') return undefined;
  const paymentRequestId = str(body.paymentRequestId);
  if (!paymentRequestId) return undefined;
  const status = notifiedStatus(body);
  if (!status) return undefined;
  const amountNode = asRecord(body.paymentAmount);
  const currency = str(amountNode?.currency);
  const value = str(amountNode?.value);
  const notification: PaymentNotification = { paymentRequestId, status };
  if (currency && value && /^\d+$/.test(value)) {
    notification.amount = { amountMinor: Number(value), currency };
  }
  const paymentId = str(body.paymentId);
  if (paymentId) notification.alipayTransactionId = paymentId;
  return notification;
}

function notifiedStatus(body: JsonRecord): 'success' | 'failure' | undefined {
  const paymentStatus = str(body.paymentStatus);
  if (paymentStatus !== undefined) {
    if (paymentStatus === 'SUCCESS') return 'success';
    return paymentStatus === 'FAIL' || paymentStatus === 'CANCELLED' ? 'failure' : undefined;
  }
  const result = resultOf(body.paymentResult ?? body.result);
  if (result.status === 'S') return 'success';
  if (result.status === 'F') return 'failure';
  return undefined;
}
