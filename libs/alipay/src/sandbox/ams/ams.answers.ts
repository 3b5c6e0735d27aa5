import { declineCode } from '../codes';
import { SandboxPayment, SandboxRefund } from '../ledger';
import { amsTime } from '../wire-time';

export type AmsResultStatus = 'S' | 'F' | 'U';

/** A JSON body plus the result code the ledger records for the call. */
export interface AmsAnswer {
  body: Record<string, unknown>;
  resultCode: string;
}

export function amsResult(status: AmsResultStatus, code: string, message: string, fields = {}): AmsAnswer {
  return {
    body: { result: { resultCode: code, resultStatus: status, resultMessage: message }, ...fields },
    resultCode: code,
  };
}

export const amsSuccess = (fields: Record<string, unknown>): AmsAnswer =>
  amsResult('S', 'SUCCESS', 'success', fields);

function amount(minor: number, currency: string): { currency: string; value: string } {
  return { currency, value: String(minor) };
}

/** The fields a pay answer and an inquiry share. */
export function paymentFields(p: SandboxPayment): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    paymentRequestId: p.id,
    paymentId: p.alipayTransactionId,
    paymentAmount: amount(p.amountMinor, p.currency),
    paymentCreateTime: amsTime(p.createdAt),
  };
  if (p.paidAt) {
    fields.paymentTime = amsTime(p.paidAt);
    fields.actualPaymentAmount = amount(p.amountMinor, p.currency);
    fields.pspCustomerInfo = {
      pspName: 'ALIPAY_CN',
      pspCustomerId: '2088000000000000',
      displayCustomerId: '138****0000',
    };
  }
  return fields;
}

export function declinedPayment(p: SandboxPayment): AmsAnswer {
  const { code, message } = declineCode('ams', p.declineReason ?? 'invalid-code');
  return amsResult('F', code, message, { paymentRequestId: p.id });
}

/** inquiryPayment: result S says the inquiry worked; paymentStatus says where the payment is. */
export function inquiryAnswer(p: SandboxPayment): AmsAnswer {
  const fields = paymentFields(p);
  switch (p.status) {
    case 'SUCCESS':
    case 'REFUNDED':
      return amsSuccess({
        ...fields,
        paymentStatus: 'SUCCESS',
        paymentResultCode: 'SUCCESS',
        paymentResultMessage: 'success',
      });
    case 'PROCESSING':
      return amsSuccess({
        ...fields,
        paymentStatus: 'PROCESSING',
        paymentResultCode: 'PAYMENT_IN_PROCESS',
        paymentResultMessage: 'The payment is being processed.',
      });
    case 'FAILED': {
      const { code, message } = declineCode('ams', p.declineReason ?? 'invalid-code');
      return amsSuccess({
        ...fields,
        paymentStatus: 'FAIL',
        paymentResultCode: code,
        paymentResultMessage: message,
      });
    }
    case 'CANCELLED':
      return amsSuccess({
        ...fields,
        paymentStatus: 'CANCELLED',
        paymentResultCode: 'ORDER_IS_CLOSED',
        paymentResultMessage: 'The payment is cancelled.',
      });
  }
}

export function cancelAnswer(p: SandboxPayment, now: Date): AmsAnswer {
  return amsSuccess({
    paymentId: p.alipayTransactionId,
    paymentRequestId: p.id,
    cancelTime: amsTime(p.cancelledAt ?? now),
  });
}

export function refundAnswer(p: SandboxPayment, r: SandboxRefund): AmsAnswer {
  return amsSuccess({
    refundRequestId: r.refundRequestId,
    refundId: r.refundId,
    paymentId: p.alipayTransactionId,
    refundAmount: amount(r.amountMinor, p.currency),
    refundTime: amsTime(r.at),
  });
}

export const ORDER_NOT_EXIST = (): AmsAnswer =>
  amsResult('F', 'ORDER_NOT_EXIST', 'The order does not exist.');
export const PARAM_ILLEGAL = (what: string): AmsAnswer =>
  amsResult('F', 'PARAM_ILLEGAL', `Illegal parameter: ${what}`);
