import type {
  AuthCodeOutcome,
  AuthCodeRequest,
  CreateOrderOutcome,
  CreateOrderRequest,
  InAppOrders,
} from '../channel.port';
import { checkAmount } from '../presend';
import { CallTimer } from '../outcome';
import type { OpenapiGateway } from './openapi.gateway';
import { createOrderBiz, mapCreateOrder, mapOauthToken, OPENAPI_IN_APP_METHODS, oauthTokenParams } from './openapi.in-app.mapper';

/**
 * The smart-restaurant calls (seed 002) through the same signed gateway exchange as the barcode calls:
 * alipay.system.oauth.token turns the H5 page's auth_code into the Alipay user id, alipay.trade.create
 * opens a trade for that buyer whose number the page hands to tradePay. One HTTP call each, never a throw.
 */
export class OpenapiInAppOrders implements InAppOrders {
  constructor(private readonly gateway: OpenapiGateway) {}

  async exchangeAuthCode(req: AuthCodeRequest): Promise<AuthCodeOutcome> {
    const timer = new CallTimer(OPENAPI_IN_APP_METHODS.oauthToken, 'auth-code');
    try {
      const answer = await this.gateway.exchange(OPENAPI_IN_APP_METHODS.oauthToken, timer, req.merchant, {
        params: oauthTokenParams(req.authCode),
      });
      return answer.ok ? mapOauthToken(answer.node, answer.raw) : answer.outcome;
    } catch (err) {
      return doubtOf(timer.fromError(err));
    }
  }

  async createOrder(req: CreateOrderRequest): Promise<CreateOrderOutcome> {
    const timer = new CallTimer(OPENAPI_IN_APP_METHODS.createOrder, req.paymentRequestId);
    const invalid = checkAmount(req.amount, timer, true);
    if (invalid?.kind === 'failure') return invalid;
    try {
      const answer = await this.gateway.exchange(OPENAPI_IN_APP_METHODS.createOrder, timer, req.merchant, {
        biz: createOrderBiz(req),
        ...(req.notifyUrl !== undefined ? { notifyUrl: req.notifyUrl } : {}),
      });
      return answer.ok ? mapCreateOrder(answer.node, answer.raw) : answer.outcome;
    } catch (err) {
      return doubtOf(timer.fromError(err));
    }
  }
}

function doubtOf(outcome: ReturnType<CallTimer['fromError']>): Extract<CreateOrderOutcome, { kind: 'unknown' }> {
  return outcome.kind === 'unknown' ? outcome : { kind: 'unknown', cause: 'status-unknown', detail: 'internal error' };
}
