import type { AuthCodeOutcome, ChannelRaw, CreateOrderOutcome, CreateOrderRequest } from '../channel.port';
import { JsonRecord, str } from '../json';
import { formatMajor } from '../money';
import { failure, unknown } from '../outcome';
import { OPENAPI_UNKNOWN_SUB_CODES, openapiFailureReason, openapiGatewayReason } from './openapi.codes';

/** The two calls of the smart-restaurant flow (seed 002) on the Open Platform gateway. */
export const OPENAPI_IN_APP_METHODS = Object.freeze({
  oauthToken: 'alipay.system.oauth.token',
  createOrder: 'alipay.trade.create',
});

/** The in-app cashier's product; the barcode calls use FACE_TO_FACE_PAYMENT. */
const JSAPI_PRODUCT = 'JSAPI_PAY';
const HOME_CURRENCY = 'CNY';

/** alipay.system.oauth.token takes its grant outside biz_content. */
export function oauthTokenParams(authCode: string): Record<string, string> {
  return { grant_type: 'authorization_code', code: authCode };
}

export function createOrderBiz(req: CreateOrderRequest): Record<string, string> {
  const biz: Record<string, string> = {
    out_trade_no: req.paymentRequestId,
    total_amount: formatMajor(req.amount.amountMinor, req.amount.currency),
    subject: req.subject,
    buyer_id: req.buyerId,
    product_code: JSAPI_PRODUCT,
  };
  if (req.amount.currency !== HOME_CURRENCY) biz.trans_currency = req.amount.currency;
  if (req.merchant.storeId) biz.store_id = req.merchant.storeId;
  if (req.merchant.terminalId) biz.terminal_id = req.merchant.terminalId;
  return biz;
}

/**
 * The token answer carries no code when it succeeds (user_id, open_id, access_token); a refused code comes
 * back as a gateway error (40002 isv.code-invalid and the like). 20000 and anything unreadable are unknown.
 */
export function mapOauthToken(node: JsonRecord, raw: (resultCode?: string) => ChannelRaw): AuthCodeOutcome {
  const code = str(node.code);
  const subCode = str(node.sub_code);
  const userId = str(node.user_id);
  const openId = str(node.open_id);
  if ((code === undefined || code === '10000') && (userId || openId)) {
    return { kind: 'user', userId: userId ?? openId ?? '', ...(openId ? { openId } : {}), raw: raw(code) };
  }
  const r = raw(subCode ?? code);
  if (code === '40004' || (code !== undefined && openapiGatewayReason(code) !== undefined)) {
    return { kind: 'refused', code: subCode ?? code, raw: r };
  }
  return { kind: 'unknown', cause: 'status-unknown', detail: `code ${code?.slice(0, 16) ?? 'missing'}`, raw: r };
}

/** 10000 with a trade_no: the trade waits for tradePay. Declines and doubts as for the barcode calls. */
export function mapCreateOrder(node: JsonRecord, raw: (resultCode?: string) => ChannelRaw): CreateOrderOutcome {
  const code = str(node.code) ?? '';
  const subCode = str(node.sub_code);
  const r = raw(subCode ?? code);
  const tradeNo = str(node.trade_no);
  switch (code) {
    case '10000':
      return tradeNo ? { kind: 'created', tradeNo, raw: r } : asDoubt(unknown('status-unknown', 'no trade_no', r));
    case '40004':
      if (subCode !== undefined && OPENAPI_UNKNOWN_SUB_CODES.has(subCode)) {
        return asDoubt(unknown('status-unknown', `code 40004 ${subCode}`, r));
      }
      return asFailure(failure(subCode ?? code, openapiFailureReason(subCode), r));
    default: {
      const reason = openapiGatewayReason(code);
      return reason
        ? asFailure(failure(subCode ?? code, reason, r))
        : asDoubt(unknown('status-unknown', `code ${code.slice(0, 16) || 'missing'}`, r));
    }
  }
}

// failure() and unknown() build the wider ChannelOutcome; these narrow it back to what they built.
function asFailure(outcome: ReturnType<typeof failure>): CreateOrderOutcome {
  if (outcome.kind !== 'failure') throw new Error('not a failure');
  return outcome;
}

function asDoubt(outcome: ReturnType<typeof unknown>): CreateOrderOutcome {
  if (outcome.kind !== 'unknown') throw new Error('not unknown');
  return outcome;
}
