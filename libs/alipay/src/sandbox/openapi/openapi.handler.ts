import { openapiSignContent, RsaAlgorithm, rsaSign, rsaVerify } from '../../signing';
import { SandboxContext } from '../context';
import { formParams, SandboxReply, SandboxRequest } from '../http/exchange';
import { JsonObject, parseObject, text } from '../json-read';
import { appAuthTokenRefusal, sellerOfToken, TOKEN_APP_METHOD, tokenAppAnswer } from '../isv/isv-gateway';
import { PaymentRef } from '../ledger';
import { currencyExponent, majorToMinor } from '../money';
import { billAnswer } from '../statements/bill-answer';
import { beijingDateTime } from '../wire-time';
import {
  business,
  declined,
  gateway,
  major,
  ok,
  OpenapiAnswer,
  paidFields,
  queryAnswer,
  unpaidFields,
} from './openapi.answers';

const METHODS = [
  'alipay.trade.pay',
  'alipay.trade.query',
  'alipay.trade.cancel',
  'alipay.trade.refund',
  'alipay.data.dataservice.bill.downloadurl.query',
  'alipay.trade.create',
] as const;
const OAUTH_TOKEN_METHOD = 'alipay.system.oauth.token';
type OpenapiMethod = (typeof METHODS)[number];

const isMethod = (m: string | undefined): m is OpenapiMethod => METHODS.includes(m as OpenapiMethod);

interface Handled {
  answer: OpenapiAnswer;
  id: string | undefined;
  requestId: string | undefined;
  withhold?: boolean;
}

/**
 * Open Platform v2 gateway (POST /gateway.do): common parameters in the query and/or the form body, RSA2
 * (or RSA) over the sorted parameters; answers `{"<method>_response":{...},"sign":"..."}` with the sign
 * over the exact text of the response node. Refusals are signed too, as the real gateway does.
 */
export class OpenapiHandler {
  constructor(private readonly ctx: SandboxContext) {}

  handle(req: SandboxRequest): SandboxReply {
    const params = formParams(req);
    const method = params.method;
    const signType: RsaAlgorithm = params.sign_type === 'RSA' ? 'RSA' : 'RSA2';
    if (method === TOKEN_APP_METHOD) {
      return this.reply(
        'alipay_open_auth_token_app_response',
        this.authenticate(params) ?? tokenAppAnswer(this.ctx, params),
        signType,
      );
    }
    if (method === OAUTH_TOKEN_METHOD) {
      return this.reply(
        'alipay_system_oauth_token_response',
        this.authenticate(params) ?? this.oauthToken(params),
        signType,
      );
    }
    if (!isMethod(method)) {
      return this.reply('error_response', gateway('40002', 'isv.invalid-method', 'Invalid method'), signType);
    }
    const responseKey = `${method.replace(/\./g, '_')}_response`;
    const biz = parseObject(params.biz_content ?? '');
    const refused = this.authenticate(params) ?? appAuthTokenRefusal(this.ctx, params.app_auth_token, biz);
    if (refused) {
      this.record(req, method, { answer: refused, id: text(biz?.out_trade_no), requestId: undefined }, biz);
      return this.reply(responseKey, refused, signType);
    }
    const handled = biz
      ? this.dispatch(method, biz, params, signType)
      : {
          answer: gateway('40002', 'isv.invalid-parameter', 'biz_content is not a JSON object'),
          id: undefined,
          requestId: undefined,
        };
    this.record(req, method, handled, biz);
    return {
      ...this.reply(responseKey, handled.answer, signType),
      ...(handled.withhold ? { withhold: true } : {}),
    };
  }

  private authenticate(params: Record<string, string>): OpenapiAnswer | undefined {
    if (params.app_id !== this.ctx.credentials.openapi.appId) {
      return gateway('40002', 'isv.invalid-app-id', 'Invalid app_id');
    }
    if (!params.sign) return gateway('40001', 'isv.missing-signature', 'Missing sign');
    if (params.sign_type !== 'RSA2' && params.sign_type !== 'RSA') {
      return gateway('40002', 'isv.invalid-signature-type', 'Invalid sign_type');
    }
    const content = openapiSignContent(params);
    if (!rsaVerify(content, params.sign, this.ctx.keys.openapi.merchantPublic, params.sign_type)) {
      return gateway('40002', 'isv.invalid-signature', 'Invalid signature');
    }
    return undefined;
  }

  private dispatch(
    method: OpenapiMethod,
    biz: JsonObject,
    params: Record<string, string>,
    signType: RsaAlgorithm,
  ): Handled {
    switch (method) {
      case 'alipay.trade.pay':
        return this.pay(biz, params, signType);
      case 'alipay.trade.query':
        return this.query(biz);
      case 'alipay.trade.create':
        return this.create(biz, params, signType);
      case 'alipay.trade.cancel':
        return this.cancel(biz);
      case 'alipay.trade.refund':
        return this.refund(biz);
      case 'alipay.data.dataservice.bill.downloadurl.query':
        return {
          answer: billAnswer(this.ctx.statements.billDownloadUrl(text(biz.bill_type), text(biz.bill_date))),
          id: undefined,
          requestId: undefined,
        };
    }
  }

  /** What a barcode pay and an in-app create read alike: the order id, the amount, the notify URL, the seller. */
  private tradeOf(
    biz: JsonObject,
    params: Record<string, string>,
    signType: RsaAlgorithm,
  ):
    | { id: string; amountMinor: number; currency: string; notifyUrl?: string; extra: Record<string, string> }
    | { refused: Handled } {
    const id = text(biz.out_trade_no);
    const currency = text(biz.trans_currency) ?? 'CNY';
    const totalAmount = text(biz.total_amount);
    const amountMinor =
      totalAmount !== undefined ? majorToMinor(totalAmount, currencyExponent(currency)) : undefined;
    if (!id || id.length > 64) return { refused: invalid('out_trade_no', id) };
    if (amountMinor === undefined || amountMinor <= 0) return { refused: invalid('total_amount', id) };
    const extra: Record<string, string> = { signType, ...sellerOfToken(this.ctx, params.app_auth_token) };
    if (text(biz.trans_currency)) extra.trans_currency = currency;
    return {
      id,
      amountMinor,
      currency,
      ...(params.notify_url ? { notifyUrl: params.notify_url } : {}),
      extra,
    };
  }

  private pay(biz: JsonObject, params: Record<string, string>, signType: RsaAlgorithm): Handled {
    const trade = this.tradeOf(biz, params, signType);
    if ('refused' in trade) return trade.refused;
    const { id } = trade;
    const authCode = text(biz.auth_code);
    if (!authCode) return invalid('auth_code', id);
    const outcome = this.ctx.payments.pay({ protocol: 'openapi', ...trade, paymentCode: authCode });
    const handled = (answer: OpenapiAnswer, withhold = false): Handled => ({
      answer,
      id,
      requestId: id,
      withhold,
    });
    switch (outcome.kind) {
      case 'approved':
        return handled(ok(paidFields(outcome.payment)), outcome.withholdAnswer);
      case 'processing':
        return handled({
          node: { code: '10003', msg: ' order success pay inprocess', ...unpaidFields(outcome.payment) },
          resultCode: '10003',
        });
      case 'declined':
        return handled(declined(outcome.payment));
      case 'closed':
        return handled(business('ACQ.TRADE_HAS_CLOSE', 'Trade has been closed', { out_trade_no: id }));
      case 'inconsistent':
        return handled(
          business('ACQ.CONTEXT_INCONSISTENT', 'Request differs from the trade with this out_trade_no'),
        );
    }
  }

  /** grant_type=authorization_code: the auth_code the app issued, once, for its user id. */
  private oauthToken(params: Record<string, string>): OpenapiAnswer {
    if (params.grant_type !== 'authorization_code' || !params.code) {
      return gateway('40002', 'isv.invalid-parameter', 'grant_type authorization_code and code are required');
    }
    const userId = this.ctx.appUsers.redeem(params.code);
    if (!userId) return gateway('40002', 'isv.code-invalid', 'Invalid or used auth code');
    return {
      node: {
        user_id: userId,
        open_id: `0${userId.slice(4)}`,
        access_token: `authusrB${userId.slice(-8)}`,
        expires_in: 1296000,
        refresh_token: `authusrR${userId.slice(-8)}`,
        re_expires_in: 2592000,
        auth_start: beijingDateTime(this.ctx.now()),
      },
      resultCode: '10000',
    };
  }

  /** An in-app trade for the buyer: it waits (WAIT_BUYER_PAY) until the app confirms or declines tradePay. */
  private create(biz: JsonObject, params: Record<string, string>, signType: RsaAlgorithm): Handled {
    const trade = this.tradeOf(biz, params, signType);
    if ('refused' in trade) return trade.refused;
    const { id } = trade;
    const buyerId = text(biz.buyer_id);
    if (!buyerId) return invalid('buyer_id', id);
    if (!text(biz.subject)) return invalid('subject', id);
    const outcome = this.ctx.payments.createTrade({ protocol: 'openapi', ...trade, buyerId });
    const handled = (answer: OpenapiAnswer): Handled => ({ answer, id, requestId: id });
    switch (outcome.kind) {
      case 'created':
        return handled(ok({ out_trade_no: id, trade_no: outcome.payment.alipayTransactionId }));
      case 'paid':
        return handled(business('ACQ.TRADE_HAS_SUCCESS', 'Trade has been paid', { out_trade_no: id }));
      case 'closed':
        return handled(business('ACQ.TRADE_HAS_CLOSE', 'Trade has been closed', { out_trade_no: id }));
      case 'inconsistent':
        return handled(
          business('ACQ.CONTEXT_INCONSISTENT', 'Request differs from the trade with this out_trade_no'),
        );
    }
  }

  private query(biz: JsonObject): Handled {
    const ref = tradeRef(biz);
    const requested = ref.alipayTransactionId ?? ref.id;
    if (!requested) return invalid('out_trade_no or trade_no', undefined);
    const outcome = this.ctx.payments.inquire('openapi', ref);
    if (outcome.kind === 'not-found') {
      return { answer: notExist(ref), id: requested, requestId: requested };
    }
    return { answer: queryAnswer(outcome.payment), id: outcome.payment.id, requestId: requested };
  }

  private cancel(biz: JsonObject): Handled {
    const ref = tradeRef(biz);
    const requested = ref.alipayTransactionId ?? ref.id;
    if (!requested) return invalid('out_trade_no or trade_no', undefined);
    const outcome = this.ctx.payments.cancel('openapi', ref);
    switch (outcome.kind) {
      case 'not-found':
        return { answer: notExist(ref, { retry_flag: 'N' }), id: requested, requestId: requested };
      case 'unknown':
        return {
          answer: {
            node: {
              code: '20000',
              msg: 'Service Currently Unavailable',
              sub_code: 'isp.unknow-error',
              sub_msg: 'System busy',
              retry_flag: 'Y',
            },
            resultCode: 'isp.unknow-error',
          },
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'status-error':
        return {
          answer: business('ACQ.TRADE_STATUS_ERROR', 'Trade status error', { retry_flag: 'N' }),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'window-passed':
        return {
          answer: business('ACQ.TRADE_CANCEL_TIME_OUT', 'Past the cancel window; refund instead', {
            retry_flag: 'N',
          }),
          id: outcome.payment.id,
          requestId: requested,
        };
      case 'cancelled': {
        const p = outcome.payment;
        return {
          answer: ok({
            trade_no: p.alipayTransactionId,
            out_trade_no: p.id,
            retry_flag: 'N',
            action: outcome.action,
            ...(outcome.action === 'refund'
              ? { gmt_refund_pay: beijingDateTime(p.cancelledAt ?? this.ctx.now()) }
              : {}),
          }),
          id: p.id,
          requestId: requested,
        };
      }
    }
  }

  private refund(biz: JsonObject): Handled {
    const ref = tradeRef(biz);
    const requested = ref.alipayTransactionId ?? ref.id;
    const refundAmount = text(biz.refund_amount);
    const outRequestNo = text(biz.out_request_no);
    if (!requested) return invalid('out_trade_no or trade_no', outRequestNo);
    const payment = this.ctx.ledger.find('openapi', ref);
    if (!payment) return { answer: notExist(ref), id: requested, requestId: outRequestNo ?? requested };
    const amountMinor = refundAmount
      ? majorToMinor(refundAmount, currencyExponent(payment.currency))
      : undefined;
    if (amountMinor === undefined) return invalid('refund_amount', outRequestNo, payment.id);
    // Without out_request_no the refund is keyed by the trade itself, so only a full refund makes sense.
    const refundRequestId = outRequestNo ?? payment.id;
    const handled = (answer: OpenapiAnswer): Handled => ({
      answer,
      id: payment.id,
      requestId: refundRequestId,
    });
    if (!outRequestNo && amountMinor !== payment.amountMinor) {
      return handled(business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'Partial refund needs out_request_no'));
    }
    const outcome = this.ctx.payments.refund('openapi', ref, { refundRequestId, amountMinor });
    switch (outcome.kind) {
      case 'not-found':
        return handled(notExist(ref));
      case 'not-refundable':
        return handled(business('ACQ.TRADE_STATUS_ERROR', 'Trade status does not allow a refund'));
      case 'exceeds':
        return handled(
          business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'Refund amount exceeds the refundable amount'),
        );
      case 'currency-mismatch':
        return handled(business('ACQ.INVALID_PARAMETER', 'Refund currency differs from the trade currency'));
      case 'inconsistent':
        return handled(
          business('ACQ.CONTEXT_INCONSISTENT', 'Request differs from the refund with this out_request_no'),
        );
      case 'refunded': {
        const p = outcome.payment;
        return handled(
          ok({
            buyer_logon_id: '138******00',
            buyer_user_id: '2088000000000000',
            fund_change: outcome.repeated ? 'N' : 'Y',
            gmt_refund_pay: beijingDateTime(outcome.refund.at),
            out_trade_no: p.id,
            refund_fee: major(p, p.refundedMinor),
            send_back_fee: major(p, outcome.refund.amountMinor),
            trade_no: p.alipayTransactionId,
          }),
        );
      }
    }
  }

  private record(
    req: SandboxRequest,
    method: OpenapiMethod,
    handled: Handled,
    biz: JsonObject | undefined,
  ): void {
    const id = handled.id ?? text(biz?.out_trade_no) ?? text(biz?.trade_no);
    if (id === undefined) return;
    this.ctx.ledger.recordCall('openapi', id, {
      api: method,
      at: req.receivedAt,
      headers: req.headers,
      requestId: handled.requestId ?? text(biz?.out_request_no) ?? id,
      resultCode: handled.answer.resultCode,
    });
  }

  /** The sign covers the exact characters of the node, so the body is assembled around that same text. */
  private reply(responseKey: string, answer: OpenapiAnswer, signType: RsaAlgorithm): SandboxReply {
    const node = JSON.stringify(answer.node);
    const sign = rsaSign(node, this.ctx.keys.openapi.alipayPrivate, signType);
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: `{"${responseKey}":${node},"sign":"${sign}"}`,
    };
  }
}

function tradeRef(biz: JsonObject): PaymentRef {
  const id = text(biz.out_trade_no);
  const alipayTransactionId = text(biz.trade_no);
  return { ...(id ? { id } : {}), ...(alipayTransactionId ? { alipayTransactionId } : {}) };
}

function notExist(ref: PaymentRef, fields: Record<string, unknown> = {}): OpenapiAnswer {
  return business('ACQ.TRADE_NOT_EXIST', 'Trade does not exist', {
    ...(ref.id ? { out_trade_no: ref.id } : {}),
    ...fields,
  });
}

function invalid(what: string, requestId: string | undefined, id: string | undefined = requestId): Handled {
  return { answer: business('ACQ.INVALID_PARAMETER', `Invalid parameter: ${what}`), id, requestId };
}
