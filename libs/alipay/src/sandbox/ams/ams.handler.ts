import {
  amsSignContent,
  formatAmsSignatureHeader,
  parseAmsSignatureHeader,
  rsaSign,
  rsaVerify,
} from '../../signing';
import { SandboxContext } from '../context';
import { agentTokenRefusal } from '../isv/isv-gateway';
import { header, SandboxReply, SandboxRequest } from '../http/exchange';
import { asObject, JsonObject, parseObject, text } from '../json-read';
import { PaymentRef } from '../ledger';
import { parseMinorString } from '../money';
import { amsTime } from '../wire-time';
import {
  AmsAnswer,
  amsResult,
  amsSuccess,
  cancelAnswer,
  declinedPayment,
  inquiryAnswer,
  ORDER_NOT_EXIST,
  PARAM_ILLEGAL,
  paymentFields,
  refundAnswer,
} from './ams.answers';

export type AmsApi = 'pay' | 'inquiryPayment' | 'cancel' | 'refund';

// The official global-open-sdk rewrites /ams/api to /ams/sandbox/api for SANDBOX_ client ids: accept both.
const AMS_PATH = /^\/ams\/(?:sandbox\/)?api\/v1\/payments\/(pay|inquiryPayment|cancel|refund)$/;

export function amsApiOf(path: string): AmsApi | undefined {
  return AMS_PATH.exec(path)?.[1] as AmsApi | undefined;
}

interface Handled {
  answer: AmsAnswer;
  /** The ledger id the call is recorded under. */
  id: string | undefined;
  requestId: string | undefined;
  withhold?: boolean;
}

/**
 * Antom AMS: JSON over POST, signed with RSA256 over "POST <path>\n<clientId>.<time>.<body>". Every answer
 * is HTTP 200 with result S/F/U; the answer is signed except when the request's own signature or client id
 * was refused (as Alipay does: it cannot know whom to sign for).
 */
export class AmsHandler {
  constructor(private readonly ctx: SandboxContext) {}

  handle(req: SandboxRequest, api: AmsApi): SandboxReply {
    const body = parseObject(req.body);
    const clientId = header(req.headers, 'client-id');
    if (clientId !== this.ctx.credentials.ams.clientId) {
      return this.refuse(
        req,
        api,
        body,
        amsResult('F', 'INVALID_CLIENT', 'The client id is not registered.'),
      );
    }
    const requestTime = header(req.headers, 'request-time');
    const signature = parseAmsSignatureHeader(header(req.headers, 'signature') ?? '');
    const content = amsSignContent(req.method, req.path, clientId, requestTime ?? '', req.body);
    if (
      !requestTime ||
      !signature ||
      !rsaVerify(content, signature.signature, this.ctx.keys.ams.merchantPublic)
    ) {
      return this.refuse(req, api, body, amsResult('F', 'INVALID_SIGNATURE', 'The signature is invalid.'));
    }
    const tokenRefusal = agentTokenRefusal(this.ctx, header(req.headers, 'agent-token'), body);
    if (tokenRefusal) {
      // Recorded like a refusal, but signed: the client is known, only its ISV token is not good.
      const answer = amsResult('F', tokenRefusal.code, tokenRefusal.message);
      this.refuse(req, api, body, answer);
      return this.signed(req, clientId, answer);
    }
    const handled = body
      ? this.dispatch(api, body)
      : { answer: PARAM_ILLEGAL('body is not a JSON object'), id: undefined, requestId: undefined };
    this.record(req, api, handled);
    return { ...this.signed(req, clientId, handled.answer), ...(handled.withhold ? { withhold: true } : {}) };
  }

  private dispatch(api: AmsApi, body: JsonObject): Handled {
    switch (api) {
      case 'pay':
        return this.pay(body);
      case 'inquiryPayment':
        return this.inquire(body);
      case 'cancel':
        return this.cancel(body);
      case 'refund':
        return this.refund(body);
    }
  }

  private pay(body: JsonObject): Handled {
    const id = text(body.paymentRequestId);
    const amount = asObject(body.paymentAmount);
    const amountMinor = parseMinorString(amount?.value);
    const currency = text(amount?.currency);
    const paymentCode = text(asObject(body.paymentMethod)?.paymentMethodId);
    if (!id || id.length > 64) return invalid('paymentRequestId', id);
    if (amountMinor === undefined || amountMinor <= 0) return invalid('paymentAmount.value', id);
    if (!currency || !/^[A-Z]{3}$/.test(currency)) return invalid('paymentAmount.currency', id);
    if (!paymentCode) return invalid('paymentMethod.paymentMethodId', id);
    const notifyUrl = text(body.paymentNotifyUrl);
    const outcome = this.ctx.payments.pay({
      protocol: 'ams',
      id,
      paymentCode,
      amountMinor,
      currency,
      ...(notifyUrl ? { notifyUrl } : {}),
    });
    const handled = (answer: AmsAnswer, withhold = false): Handled => ({
      answer,
      id,
      requestId: id,
      withhold,
    });
    switch (outcome.kind) {
      case 'approved':
        return handled(amsSuccess(paymentFields(outcome.payment)), outcome.withholdAnswer);
      case 'processing':
        return handled(
          amsResult(
            'U',
            'PAYMENT_IN_PROCESS',
            'The payment is being processed.',
            paymentFields(outcome.payment),
          ),
        );
      case 'declined':
        return handled(declinedPayment(outcome.payment));
      case 'closed':
        return handled(amsResult('F', 'ORDER_IS_CLOSED', 'The order is closed.', { paymentRequestId: id }));
      case 'inconsistent':
        return handled(
          amsResult('F', 'REPEAT_REQ_INCONSISTENT', 'The request differs from the first one with this id.'),
        );
    }
  }

  private inquire(body: JsonObject): Handled {
    const ref = paymentRef(body);
    const requested = ref.id ?? ref.alipayTransactionId;
    if (!requested) return invalid('paymentRequestId or paymentId', undefined);
    const outcome = this.ctx.payments.inquire('ams', ref);
    if (outcome.kind === 'not-found')
      return { answer: ORDER_NOT_EXIST(), id: requested, requestId: requested };
    return { answer: inquiryAnswer(outcome.payment), id: outcome.payment.id, requestId: requested };
  }

  private cancel(body: JsonObject): Handled {
    const ref = paymentRef(body);
    const requested = ref.id ?? ref.alipayTransactionId;
    if (!requested) return invalid('paymentRequestId or paymentId', undefined);
    const outcome = this.ctx.payments.cancel('ams', ref);
    switch (outcome.kind) {
      case 'not-found':
        return { answer: ORDER_NOT_EXIST(), id: requested, requestId: requested };
      case 'unknown':
        return {
          answer: amsResult('U', 'UNKNOWN_EXCEPTION', 'An unknown exception occurred; try again.'),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'status-error':
        return {
          answer: amsResult('F', 'ORDER_IS_CLOSED', 'The order is closed.'),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'window-passed':
        return {
          answer: amsResult('F', 'CANCEL_WINDOW_EXCEED', 'The cancel window has passed; refund instead.'),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'cancelled':
        return {
          answer: cancelAnswer(outcome.payment, this.ctx.now()),
          id: outcome.payment.id,
          requestId: requested,
        };
    }
  }

  private refund(body: JsonObject): Handled {
    // Antom's refund names the payment by Alipay's paymentId only (the official Java SDK sends nothing else);
    // a paymentRequestId beside it is ignored, and one alone is a parameter error.
    const requested = text(body.paymentId);
    const ref: PaymentRef = requested ? { alipayTransactionId: requested } : {};
    const refundRequestId = text(body.refundRequestId);
    const refundAmount = asObject(body.refundAmount);
    const amountMinor = parseMinorString(refundAmount?.value);
    const currency = text(refundAmount?.currency);
    if (!requested) return invalid('paymentId', refundRequestId);
    if (!refundRequestId || refundRequestId.length > 64)
      return invalid('refundRequestId', undefined, requested);
    if (amountMinor === undefined || !currency) return invalid('refundAmount', refundRequestId, requested);
    const outcome = this.ctx.payments.refund('ams', ref, { refundRequestId, amountMinor, currency });
    const handled = (answer: AmsAnswer, id: string): Handled => ({ answer, id, requestId: refundRequestId });
    switch (outcome.kind) {
      case 'not-found':
        return handled(ORDER_NOT_EXIST(), requested);
      case 'not-refundable':
        return handled(
          outcome.payment.status === 'PROCESSING'
            ? amsResult('F', 'ORDER_STATUS_INVALID', 'The payment is not completed.')
            : amsResult('F', 'ORDER_IS_CLOSED', 'The order is closed.'),
          outcome.payment.id,
        );
      case 'exceeds':
        return handled(
          amsResult('F', 'REFUND_AMOUNT_EXCEED', 'The total refund amount exceeds the payment amount.'),
          outcome.payment.id,
        );
      case 'currency-mismatch':
        return handled(
          amsResult('F', 'CURRENCY_NOT_SUPPORT', 'The refund currency differs from the payment currency.'),
          outcome.payment.id,
        );
      case 'inconsistent':
        return handled(
          amsResult('F', 'REPEAT_REQ_INCONSISTENT', 'The request differs from the first one with this id.'),
          outcome.payment.id,
        );
      case 'refunded':
        return handled(refundAnswer(outcome.payment, outcome.refund), outcome.payment.id);
    }
  }

  /** Unsigned answer to a request whose client or signature was refused; the call is still recorded. */
  private refuse(
    req: SandboxRequest,
    api: AmsApi,
    body: JsonObject | undefined,
    answer: AmsAnswer,
  ): SandboxReply {
    const requested = body ? (text(body.paymentRequestId) ?? text(body.paymentId)) : undefined;
    const requestId = api === 'refund' && body ? text(body.refundRequestId) : requested;
    this.record(req, api, { answer, id: requested, requestId });
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify(answer.body),
    };
  }

  private record(req: SandboxRequest, api: AmsApi, handled: Handled): void {
    if (handled.id === undefined) return;
    this.ctx.ledger.recordCall('ams', handled.id, {
      api,
      at: req.receivedAt,
      headers: req.headers,
      requestId: handled.requestId ?? handled.id,
      resultCode: handled.answer.resultCode,
    });
  }

  private signed(req: SandboxRequest, clientId: string, answer: AmsAnswer): SandboxReply {
    const body = JSON.stringify(answer.body);
    const responseTime = amsTime(this.ctx.now());
    const signature = rsaSign(
      amsSignContent('POST', req.path, clientId, responseTime, body),
      this.ctx.keys.ams.alipayPrivate,
      'RSA2',
    );
    return {
      status: 200,
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'client-id': clientId,
        'response-time': responseTime,
        signature: formatAmsSignatureHeader(signature, this.ctx.credentials.ams.keyVersion),
      },
      body,
    };
  }
}

function paymentRef(body: JsonObject): PaymentRef {
  const id = text(body.paymentRequestId);
  const alipayTransactionId = text(body.paymentId);
  return { ...(id ? { id } : {}), ...(alipayTransactionId ? { alipayTransactionId } : {}) };
}

function invalid(what: string, requestId: string | undefined, id: string | undefined = requestId): Handled {
  return { answer: PARAM_ILLEGAL(what), id, requestId };
}
