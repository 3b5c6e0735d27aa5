import { mapiMd5Sign, mapiMd5Verify, mapiSignContent, RsaAlgorithm, rsaSign, rsaVerify } from '../../signing';
import { SandboxContext } from '../context';
import { formParams, SandboxReply, SandboxRequest } from '../http/exchange';
import { PaymentRef } from '../ledger';
import { currencyExponent, majorToMinor } from '../money';
import { beijingCompact } from '../wire-time';
import {
  answer,
  fail,
  major,
  MapiAnswer,
  payApproved,
  payDeclined,
  payFailed,
  payProcessing,
  transStatus,
  tradeFields,
} from './mapi.answers';
import { mapiAccepted, mapiRefusal } from './mapi.xml';
import { notifyVerifyReply } from '../notify/notify-verify';

const SERVICES = [
  'alipay.acquire.overseas.spot.pay',
  'alipay.acquire.overseas.query',
  'alipay.acquire.cancel',
  'alipay.acquire.overseas.spot.refund',
] as const;
type MapiService = (typeof SERVICES)[number];

const isService = (s: string | undefined): s is MapiService => SERVICES.includes(s as MapiService);

type MapiSignType = 'MD5' | RsaAlgorithm;
const isSignType = (s: string | undefined): s is MapiSignType => s === 'MD5' || s === 'RSA' || s === 'RSA2';

type Handled =
  | {
      kind: 'accepted';
      answer: MapiAnswer;
      id: string | undefined;
      requestId: string | undefined;
      withhold?: boolean;
    }
  /** is_success=F: the request was refused before any business happened. */
  | { kind: 'refused'; error: string; id: string | undefined; requestId: string | undefined };

/**
 * Alipay Global MAPI (GET or POST /mapi/gateway.do): form parameters, MD5 (or RSA/RSA2) over the sorted
 * parameters; XML answers. A refused request is `is_success=F` with an `error` and no sign; an accepted
 * one carries the business result in response/alipay, signed by the same rule over those children.
 */
export class MapiHandler {
  constructor(private readonly ctx: SandboxContext) {}

  handle(req: SandboxRequest): SandboxReply {
    const params = formParams(req);
    if (params.service === 'notify_verify') return notifyVerifyReply(this.ctx, params);
    const service = params.service;
    const signType = params.sign_type?.toUpperCase();
    let handled: Handled;
    if (!isService(service)) handled = refused('ILLEGAL_SERVICE', params);
    else if (params.partner !== this.ctx.credentials.mapi.partner)
      handled = refused('ILLEGAL_PARTNER', params);
    else if (!isSignType(signType)) handled = refused('ILLEGAL_SIGN_TYPE', params);
    else if (!this.verify(params, signType)) handled = refused('ILLEGAL_SIGN', params);
    else handled = this.dispatch(service, params, signType);

    this.record(req, service ?? 'unknown', handled);
    if (handled.kind === 'refused') return xml(mapiRefusal(handled.error));
    const response = handled.answer.fields;
    const sign = this.sign(response, isSignType(signType) ? signType : 'MD5');
    const echo = { ...params };
    delete echo.sign;
    return {
      ...xml(mapiAccepted(echo, response, sign, signType ?? 'MD5')),
      ...(handled.withhold ? { withhold: true } : {}),
    };
  }

  private verify(params: Record<string, string>, signType: MapiSignType): boolean {
    const sign = params.sign ?? '';
    if (signType === 'MD5') return mapiMd5Verify(params, sign, this.ctx.keys.mapi.md5Key);
    return rsaVerify(mapiSignContent(params), sign, this.ctx.keys.mapi.merchantPublic, signType);
  }

  private sign(fields: Record<string, string>, signType: MapiSignType): string {
    if (signType === 'MD5') return mapiMd5Sign(fields, this.ctx.keys.mapi.md5Key);
    return rsaSign(mapiSignContent(fields), this.ctx.keys.mapi.alipayPrivate, signType);
  }

  private dispatch(service: MapiService, params: Record<string, string>, signType: MapiSignType): Handled {
    switch (service) {
      case 'alipay.acquire.overseas.spot.pay':
        return this.pay(params, signType);
      case 'alipay.acquire.overseas.query':
        return this.query(params);
      case 'alipay.acquire.cancel':
        return this.cancel(params);
      case 'alipay.acquire.overseas.spot.refund':
        return this.refund(params);
    }
  }

  private pay(params: Record<string, string>, signType: MapiSignType): Handled {
    const id = params.partner_trans_id;
    const settlement = params.currency;
    const pricing = params.trans_currency || settlement;
    const amountMinor =
      pricing && params.trans_amount
        ? majorToMinor(params.trans_amount, currencyExponent(pricing))
        : undefined;
    if (
      !id ||
      id.length > 64 ||
      !pricing ||
      amountMinor === undefined ||
      amountMinor <= 0 ||
      !params.buyer_identity_code
    ) {
      return refused('ILLEGAL_ARGUMENT', params);
    }
    const extra: Record<string, string> = { signType };
    if (settlement) extra.currency = settlement;
    if (params.trans_currency) extra.trans_currency = params.trans_currency;
    const outcome = this.ctx.payments.pay({
      protocol: 'mapi',
      id,
      paymentCode: params.buyer_identity_code,
      amountMinor,
      currency: pricing,
      ...(params.notify_url ? { notifyUrl: params.notify_url } : {}),
      extra,
    });
    const accepted = (a: MapiAnswer, withhold = false): Handled => ({
      kind: 'accepted',
      answer: a,
      id,
      requestId: id,
      withhold,
    });
    switch (outcome.kind) {
      case 'approved':
        return accepted(payApproved(outcome.payment), outcome.withholdAnswer);
      case 'processing':
        return accepted(payProcessing(outcome.payment));
      case 'declined':
        return accepted(payDeclined(outcome.payment));
      case 'closed':
        return accepted(payFailed(id, 'TRADE_HAS_CLOSE', 'The trade has been closed'));
      case 'inconsistent':
        return accepted(
          payFailed(id, 'REPEAT_REQ_INCONSISTENT', 'The request differs from the trade with this id'),
        );
    }
  }

  private query(params: Record<string, string>): Handled {
    const ref = tradeRef(params.partner_trans_id, params.alipay_trans_id);
    const requested = ref.alipayTransactionId ?? ref.id;
    if (!requested) return refused('ILLEGAL_ARGUMENT', params);
    const outcome = this.ctx.payments.inquire('mapi', ref);
    if (outcome.kind === 'not-found') {
      return { kind: 'accepted', answer: fail('TRADE_NOT_EXIST'), id: requested, requestId: requested };
    }
    const p = outcome.payment;
    return {
      kind: 'accepted',
      answer: answer({
        result_code: 'SUCCESS',
        alipay_trans_status: transStatus(p),
        out_trade_no: p.id,
        ...tradeFields(p),
      }),
      id: p.id,
      requestId: requested,
    };
  }

  /** alipay.acquire.cancel names the merchant's id out_trade_no (partner_trans_id accepted too). */
  private cancel(params: Record<string, string>): Handled {
    const ref = tradeRef(params.out_trade_no || params.partner_trans_id, params.trade_no);
    const requested = ref.alipayTransactionId ?? ref.id;
    if (!requested) return refused('ILLEGAL_ARGUMENT', params);
    const outcome = this.ctx.payments.cancel('mapi', ref);
    switch (outcome.kind) {
      case 'not-found':
        return {
          kind: 'accepted',
          answer: fail('TRADE_NOT_EXIST', { retry_flag: 'N' }),
          id: requested,
          requestId: requested,
        };
      case 'unknown':
        return {
          kind: 'accepted',
          answer: fail('SYSTEM_ERROR', { retry_flag: 'Y' }),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'status-error':
        return {
          kind: 'accepted',
          answer: fail('TRADE_STATUS_ERROR', { retry_flag: 'N' }),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'window-passed':
        return {
          kind: 'accepted',
          answer: fail('CANCEL_WINDOW_EXCEED', { retry_flag: 'N' }),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'cancelled':
        return {
          kind: 'accepted',
          answer: answer({
            result_code: 'SUCCESS',
            trade_no: outcome.payment.alipayTransactionId,
            out_trade_no: outcome.payment.id,
            retry_flag: 'N',
            action: outcome.action,
          }),
          id: outcome.payment.id,
          requestId: requested,
        };
    }
  }

  private refund(params: Record<string, string>): Handled {
    const ref = tradeRef(params.partner_trans_id, params.alipay_trans_id);
    const requested = ref.alipayTransactionId ?? ref.id;
    const refundRequestId = params.partner_refund_id;
    if (!requested || !refundRequestId || !params.refund_amount) return refused('ILLEGAL_ARGUMENT', params);
    const payment = this.ctx.ledger.find('mapi', ref);
    if (!payment) {
      return { kind: 'accepted', answer: fail('TRADE_NOT_EXIST'), id: requested, requestId: refundRequestId };
    }
    const amountMinor = majorToMinor(params.refund_amount, currencyExponent(payment.currency));
    if (amountMinor === undefined) return refused('ILLEGAL_ARGUMENT', params);
    const outcome = this.ctx.payments.refund('mapi', ref, { refundRequestId, amountMinor });
    const accepted = (a: MapiAnswer): Handled => ({
      kind: 'accepted',
      answer: a,
      id: payment.id,
      requestId: refundRequestId,
    });
    switch (outcome.kind) {
      case 'not-found':
        return accepted(fail('TRADE_NOT_EXIST'));
      case 'not-refundable':
        return accepted(fail('TRADE_STATUS_ERROR'));
      case 'exceeds':
        return accepted(fail('REFUND_AMOUNT_EXCEED'));
      case 'currency-mismatch':
        return accepted(fail('CURRENCY_NOT_SUPPORT'));
      case 'inconsistent':
        return accepted(fail('REPEAT_REQ_INCONSISTENT'));
      case 'refunded':
        return accepted(
          answer({
            result_code: 'SUCCESS',
            alipay_trans_id: payment.alipayTransactionId,
            partner_trans_id: payment.id,
            partner_refund_id: refundRequestId,
            refund_amount: major(payment, outcome.refund.amountMinor),
            currency: payment.currency,
            refund_time: beijingCompact(outcome.refund.at),
          }),
        );
    }
  }

  private record(req: SandboxRequest, service: string, handled: Handled): void {
    if (handled.id === undefined) return;
    this.ctx.ledger.recordCall('mapi', handled.id, {
      api: service,
      at: req.receivedAt,
      headers: req.headers,
      requestId: handled.requestId ?? handled.id,
      resultCode: handled.kind === 'refused' ? handled.error : handled.answer.resultCode,
    });
  }
}

function tradeRef(id: string | undefined, alipayTransactionId: string | undefined): PaymentRef {
  return { ...(id ? { id } : {}), ...(alipayTransactionId ? { alipayTransactionId } : {}) };
}

/** The id a refused request was about, so the call still shows up under it. */
function refused(error: string, params: Record<string, string>): Handled {
  const id = params.partner_trans_id || params.out_trade_no || undefined;
  return { kind: 'refused', error, id, requestId: params.partner_refund_id || id };
}

function xml(body: string): SandboxReply {
  return { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
}
