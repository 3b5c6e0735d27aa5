import type {
  CancelRequest,
  ChannelOutcome,
  InAppOrders,
  IncomingNotification,
  InquireRequest,
  MerchantContext,
  PayRequest,
  PaymentNotification,
  RefundRequest,
  UnknownCause,
  WalletChannel,
} from '../channel.port';
import type { OpenapiConfig } from '../config';
import { HttpTransport } from '../http/transport';
import { asRecord, parseJsonRecord, str } from '../json';
import { CallTimer, guarded } from '../outcome';
import { checkAmount } from '../presend';
import { beijingDateTime } from '../time';
import {
  mapOpenapiResponse,
  OPENAPI_METHODS,
  OpenapiOperation,
  openapiCancelBiz,
  openapiPayBiz,
  openapiQueryBiz,
  openapiRefundBiz,
  parseOpenapiNotification,
} from './openapi.mapper';
import type { GatewayAnswer, GatewayRequest, OpenapiGateway } from './openapi.gateway';
import { OpenapiInAppOrders } from './openapi.in-app';
import { OpenapiSigner } from './openapi.signer';

/**
 * Alipay Open Platform v2 gateway (gateway.do). Every parameter, common and biz_content, goes in the
 * form body; Alipay reads both query and body, and one place keeps the signed set obvious.
 */
export class OpenapiChannel implements WalletChannel, OpenapiGateway {
  readonly name = 'openapi' as const;
  readonly inApp: InAppOrders = new OpenapiInAppOrders(this);
  private readonly signer: OpenapiSigner;
  private readonly transport: HttpTransport;
  private readonly url: URL;
  private readonly now: () => Date;

  constructor(private readonly config: OpenapiConfig) {
    this.signer = new OpenapiSigner(config.merchantPrivateKey, config.alipayPublicKey, config.signType ?? 'RSA2');
    this.url = new URL(config.gatewayUrl);
    this.transport = new HttpTransport(config.timeoutMs);
    this.now = config.now ?? (() => new Date());
  }

  pay(req: PayRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(OPENAPI_METHODS.pay, req.paymentRequestId);
    const invalid = checkAmount(req.amount, timer, true);
    if (invalid) return Promise.resolve(invalid);
    return this.call('pay', timer, req.merchant, () => openapiPayBiz(req), req.notifyUrl);
  }

  inquire(req: InquireRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(OPENAPI_METHODS.inquire, req.paymentRequestId);
    return this.call('inquire', timer, req.merchant, () => openapiQueryBiz(req));
  }

  cancel(req: CancelRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(OPENAPI_METHODS.cancel, req.paymentRequestId);
    return this.call('cancel', timer, req.merchant, () => openapiCancelBiz(req));
  }

  refund(req: RefundRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(OPENAPI_METHODS.refund, req.refundRequestId);
    const invalid = checkAmount(req.amount, timer, true);
    if (invalid) return Promise.resolve(invalid);
    return this.call('refund', timer, req.merchant, () => openapiRefundBiz(req));
  }

  verifyNotification(n: IncomingNotification): boolean {
    try {
      const params = formParams(n.rawBody);
      if (params.app_id !== undefined && params.app_id !== this.config.appId) return false;
      return this.signer.verifyNotification(params);
    } catch {
      return false;
    }
  }

  parseNotification(n: IncomingNotification): PaymentNotification | undefined {
    return parseOpenapiNotification(formParams(n.rawBody));
  }

  close(): void {
    this.transport.close();
  }

  /** The signed common parameters plus biz_content, exactly as sent (exposed for tests and the SDK proof). */
  buildParams(op: OpenapiOperation, merchant: MerchantContext, biz: Record<string, string>, notifyUrl?: string): Promise<Record<string, string>> {
    return this.signedParams(OPENAPI_METHODS[op], merchant, { biz, ...(notifyUrl !== undefined ? { notifyUrl } : {}) });
  }

  async exchange(method: string, timer: CallTimer, merchant: MerchantContext, request: GatewayRequest): Promise<GatewayAnswer> {
    const body = new URLSearchParams(await this.signedParams(method, merchant, request)).toString();
    const res = await this.transport.post(this.url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body,
    });
    const parsed = parseJsonRecord(res.body);
    const nodeName = `${method.replace(/\./g, '_')}_response`;
    const node = asRecord(parsed?.[nodeName]) ?? asRecord(parsed?.error_response);
    const code = str(node?.sub_code) ?? str(node?.code);
    const raw = (resultCode?: string) => timer.raw({ httpStatus: res.status, resultCode });
    const doubt = (cause: UnknownCause, detail: string): GatewayAnswer => ({ ok: false, outcome: { kind: 'unknown', cause, detail, raw: raw(code) } });
    if (res.status < 200 || res.status > 299 || !parsed || !node) {
      return doubt('http-error', `HTTP ${res.status}${node ? '' : ', no response node'}`);
    }
    const sign = str(parsed.sign);
    // The gateway leaves some refusals (bad signature, missing parameter) unsigned, but anyone on the path can
    // write one: an unsigned answer, refusal or not, decides nothing and is unknown.
    if (!sign) return doubt('bad-signature', 'response is not signed');
    if (!this.signer.verifyResponse(res.body, method, sign)) return doubt('bad-signature', 'response signature invalid');
    if (this.config.alipayCertSn !== undefined && str(parsed.alipay_cert_sn) !== this.config.alipayCertSn) {
      return doubt('bad-signature', 'alipay_cert_sn does not match the held certificate');
    }
    return { ok: true, node, raw };
  }

  private async signedParams(method: string, merchant: MerchantContext, request: GatewayRequest): Promise<Record<string, string>> {
    const params: Record<string, string | undefined> = {
      app_id: this.config.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: this.signer.signType,
      timestamp: beijingDateTime(this.now()),
      version: '1.0',
      notify_url: request.notifyUrl,
      app_auth_token: merchant.appAuthToken,
      app_cert_sn: this.config.appCertSn,
      alipay_root_cert_sn: this.config.alipayRootCertSn,
      ...request.params,
      biz_content: request.biz ? JSON.stringify(request.biz) : undefined,
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out[k] = v;
    out.sign = await this.signer.sign(out);
    return out;
  }

  private call(
    op: OpenapiOperation,
    timer: CallTimer,
    merchant: MerchantContext,
    buildBiz: () => Record<string, string>,
    notifyUrl?: string,
  ): Promise<ChannelOutcome> {
    return guarded(timer, async () => {
      const answer = await this.exchange(OPENAPI_METHODS[op], timer, merchant, {
        biz: buildBiz(),
        ...(notifyUrl !== undefined ? { notifyUrl } : {}),
      });
      return answer.ok ? mapOpenapiResponse(op, answer.node, answer.raw) : answer.outcome;
    });
  }
}

function formParams(rawBody: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) out[k] = v;
  return out;
}
