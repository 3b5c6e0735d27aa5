import { SandboxContext } from '../context';
import { jsonReply, SandboxReply, SandboxRequest } from '../http/exchange';
import { asObject, parseObject, text } from '../json-read';
import { SandboxProtocol } from '../protocol';
import { AP_JS } from './ap-js';
import { isUserId } from './app-users';

// The page that loads ap.js is the merchant's, on another origin.
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

/** tradePay's resultCode as the app reports it to the page. */
const PAID = '9000';
const CANCELLED_BY_USER = '6001';
const NOT_PAYABLE = '4000';

// In-app trades are Open Platform trades (alipay.trade.create).
const PROTOCOL: SandboxProtocol = 'openapi';

/**
 * The Alipay app, played by the sandbox (seed 002's customer):
 * GET  /sandbox/app/ap.js                       the JSAPI shim an H5 page loads (window.ap)
 * POST /sandbox/app/auth-code {userId?}         an auth_code for a simulated user -> {authCode, userId}
 * POST /sandbox/app/trade-pay {tradeNo, action: confirm|decline}
 *      confirm: the trade is paid and notified like any payment; decline: it is closed, nothing taken
 *      -> {resultCode: 9000|6001|4000, tradeNo, status}
 */
export class AppControl {
  constructor(private readonly ctx: SandboxContext) {}

  handles(req: SandboxRequest): boolean {
    return req.path.startsWith('/sandbox/app/');
  }

  handle(req: SandboxRequest): SandboxReply {
    return withCors(this.route(req));
  }

  private route(req: SandboxRequest): SandboxReply {
    if (req.method === 'OPTIONS') return { status: 204, headers: {}, body: '' };
    const route = `${req.method} ${req.path}`;
    if (route === 'GET /sandbox/app/ap.js') {
      return { status: 200, headers: { 'content-type': 'application/javascript; charset=utf-8' }, body: AP_JS };
    }
    if (route === 'POST /sandbox/app/auth-code') return this.authCode(req.body);
    if (route === 'POST /sandbox/app/trade-pay') return this.tradePay(req.body);
    return jsonReply(404, { error: 'NOT_FOUND', path: req.path });
  }

  private authCode(body: string): SandboxReply {
    const userId = text(asObject(parseObject(body || '{}'))?.userId);
    if (userId !== undefined && !isUserId(userId)) {
      return jsonReply(400, { error: 'BAD_USER_ID', detail: 'userId must be 2088 and 12 digits' });
    }
    return jsonReply(200, this.ctx.appUsers.issueAuthCode(userId));
  }

  private tradePay(body: string): SandboxReply {
    const request = asObject(parseObject(body));
    const tradeNo = text(request?.tradeNo);
    const action = request?.action === 'confirm' || request?.action === 'decline' ? request.action : undefined;
    if (!tradeNo || !action) {
      return jsonReply(400, { error: 'BAD_REQUEST', detail: 'tradeNo and action (confirm|decline) are required' });
    }
    const outcome = this.ctx.payments.tradePay(PROTOCOL, { alipayTransactionId: tradeNo }, action);
    this.ctx.log({ event: 'app.trade-pay', tradeNo, action, outcome: outcome.kind });
    switch (outcome.kind) {
      case 'not-found':
        return jsonReply(404, { error: 'TRADE_NOT_FOUND', resultCode: NOT_PAYABLE, tradeNo });
      case 'not-waiting':
        return jsonReply(409, { error: 'TRADE_NOT_WAITING', resultCode: NOT_PAYABLE, tradeNo, status: outcome.payment.status });
      case 'paid':
        return jsonReply(200, { resultCode: PAID, tradeNo, status: outcome.payment.status });
      case 'closed':
        return jsonReply(200, { resultCode: CANCELLED_BY_USER, tradeNo, status: outcome.payment.status });
    }
  }
}

function withCors(reply: SandboxReply): SandboxReply {
  return { ...reply, headers: { ...reply.headers, ...CORS } };
}
