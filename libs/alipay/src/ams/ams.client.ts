import type {
  CancelRequest,
  ChannelOutcome,
  IncomingNotification,
  InquireRequest,
  MerchantContext,
  PayRequest,
  PaymentNotification,
  RefundRequest,
  WalletChannel,
} from '../channel.port';
import type { AmsConfig } from '../config';
import { headerValue, HttpTransport } from '../http/transport';
import { asRecord, JsonRecord, parseJsonRecord, str } from '../json';
import { CallTimer, guarded, unknown } from '../outcome';
import { checkAmount } from '../presend';
import {
  AMS_PATHS,
  AmsOperation,
  amsCancelBody,
  amsInquiryBody,
  amsPayBody,
  amsRefundBody,
  mapAmsResponse,
  parseAmsNotification,
} from './ams.mapper';
import { AmsSigner } from './ams.signer';

/** Antom AMS (and Alipay+-shaped) JSON API: one signed POST per call, response signature checked. */
export class AmsChannel implements WalletChannel {
  readonly name = 'ams' as const;
  private readonly signer: AmsSigner;
  private readonly transport: HttpTransport;
  private readonly baseUrl: string;
  private readonly urls = new Map<AmsOperation, URL>();
  private readonly now: () => Date;

  constructor(private readonly config: AmsConfig) {
    this.signer = new AmsSigner(config.clientId, config.merchantPrivateKey, config.alipayPublicKey, config.keyVersion ?? '1');
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.transport = new HttpTransport(config.timeoutMs);
    this.now = config.now ?? (() => new Date());
  }

  pay(req: PayRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(AMS_PATHS.pay, req.paymentRequestId);
    const invalid = checkAmount(req.amount, timer, false);
    if (invalid) return Promise.resolve(invalid);
    return this.call('pay', timer, req.merchant, () => amsPayBody(req));
  }

  inquire(req: InquireRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(AMS_PATHS.inquire, req.paymentRequestId);
    return this.call('inquire', timer, req.merchant, () => amsInquiryBody(req));
  }

  cancel(req: CancelRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(AMS_PATHS.cancel, req.paymentRequestId);
    return this.call('cancel', timer, req.merchant, () => amsCancelBody(req));
  }

  async refund(req: RefundRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(AMS_PATHS.refund, req.refundRequestId);
    const invalid = checkAmount(req.amount, timer, false);
    if (invalid) return invalid;
    let paymentId = req.alipayTransactionId;
    if (paymentId === undefined) {
      // The refund takes Alipay's paymentId, which a payment answered only by inquiry or notification may
      // not have stored: ask for it first. Anything but a paid payment with its id decides nothing here.
      const found = await this.inquire({ paymentRequestId: req.paymentRequestId, merchant: req.merchant });
      if (found.kind === 'failure') return found;
      if (found.kind !== 'success' || found.alipayTransactionId === undefined)
        return unknown('status-unknown', `paymentId not known (inquiry: ${found.kind})`, found.raw);
      paymentId = found.alipayTransactionId;
    }
    const withPaymentId = { ...req, alipayTransactionId: paymentId };
    return this.call('refund', timer, req.merchant, () => amsRefundBody(withPaymentId, this.now()));
  }

  verifyNotification(n: IncomingNotification): boolean {
    try {
      const verdict = this.signer.verify(
        pathOnly(n.path),
        headerValue(n.headers, 'client-id'),
        headerValue(n.headers, 'request-time'),
        headerValue(n.headers, 'signature'),
        n.rawBody,
      );
      return verdict === 'valid';
    } catch {
      return false;
    }
  }

  parseNotification(n: IncomingNotification): PaymentNotification | undefined {
    return parseAmsNotification(n.rawBody);
  }

  /** Releases idle keep-alive sockets. */
  close(): void {
    this.transport.close();
  }

  private call(
    op: AmsOperation,
    timer: CallTimer,
    merchant: MerchantContext,
    buildBody: () => JsonRecord,
  ): Promise<ChannelOutcome> {
    return guarded(timer, async () => {
      const url = this.urlOf(op);
      const path = url.pathname;
      const body = JSON.stringify(buildBody());
      const requestTime = String(this.now().getTime());
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=UTF-8',
        'client-id': this.config.clientId,
        'request-time': requestTime,
        signature: await this.signer.signatureHeader(path, requestTime, body),
      };
      if (merchant.agentToken) headers['agent-token'] = merchant.agentToken;

      const res = await this.transport.post(url, { headers, body });
      const parsed = parseJsonRecord(res.body);
      const result = asRecord(parsed?.result);
      const resultCode = str(result?.resultCode);
      const raw = (code?: string) => timer.raw({ httpStatus: res.status, resultCode: code });
      if (res.status < 200 || res.status > 299 || !parsed) {
        return unknown('http-error', `HTTP ${res.status}${parsed ? '' : ', body is not JSON'}`, raw(resultCode));
      }
      const verdict = this.signer.verify(path, res.headers['client-id'], res.headers['response-time'], res.headers.signature, res.body);
      // Alipay leaves its INVALID_SIGNATURE refusal unsigned, but anyone on the path can write one: an unsigned
      // refusal taken as a decline could strand a payment that went through, so it is unknown like any other.
      if (verdict !== 'valid') return unknown('bad-signature', `response signature ${verdict}`, raw(resultCode));
      return mapAmsResponse(op, parsed, raw);
    });
  }

  private urlOf(op: AmsOperation): URL {
    let url = this.urls.get(op);
    if (url === undefined) {
      url = new URL(this.baseUrl + AMS_PATHS[op]);
      this.urls.set(op, url);
    }
    return url;
  }
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}
