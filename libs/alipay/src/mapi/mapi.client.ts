import type {
  CancelRequest,
  ChannelOutcome,
  IncomingNotification,
  InquireRequest,
  PayRequest,
  PaymentNotification,
  RefundRequest,
  WalletChannel,
} from '../channel.port';
import type { MapiConfig } from '../config';
import { HttpTransport } from '../http/transport';
import { CallTimer, guarded, unknown } from '../outcome';
import { checkAmount } from '../presend';
import {
  MAPI_SERVICES,
  mapiCancelParams,
  MapiOperation,
  MapiParams,
  mapiPayParams,
  mapiQueryParams,
  mapiRefundParams,
  mapMapiAnswer,
  parseMapiNotification,
  readMapiAnswer,
} from './mapi.mapper';
import { MapiSigner } from './mapi.signer';
import { parseXml } from './xml';

/**
 * Alipay Global MAPI (cross-border in-store barcode). Form POST to gateway.do with `_input_charset=utf-8`
 * in the query (and among the signed parameters, as Alipay's demos send it); XML answers.
 */
export class MapiChannel implements WalletChannel {
  readonly name = 'mapi' as const;
  private readonly signer: MapiSigner;
  private readonly transport: HttpTransport;
  private readonly url: URL;
  private readonly now: () => Date;

  constructor(private readonly config: MapiConfig) {
    this.signer = new MapiSigner(config.signType, config);
    this.url = new URL(config.gatewayUrl);
    this.url.searchParams.set('_input_charset', 'utf-8');
    this.transport = new HttpTransport(config.timeoutMs);
    this.now = config.now ?? (() => new Date());
  }

  pay(req: PayRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(MAPI_SERVICES.pay, req.paymentRequestId);
    const invalid = checkAmount(req.amount, timer, true);
    if (invalid) return Promise.resolve(invalid);
    return this.call('pay', timer, () => mapiPayParams(req, this.config.partner));
  }

  inquire(req: InquireRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(MAPI_SERVICES.inquire, req.paymentRequestId);
    return this.call('inquire', timer, () => mapiQueryParams(req));
  }

  cancel(req: CancelRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(MAPI_SERVICES.cancel, req.paymentRequestId);
    return this.call('cancel', timer, () => mapiCancelParams(req, this.now()));
  }

  refund(req: RefundRequest): Promise<ChannelOutcome> {
    const timer = new CallTimer(MAPI_SERVICES.refund, req.refundRequestId);
    const invalid = checkAmount(req.amount, timer, true);
    if (invalid) return Promise.resolve(invalid);
    return this.call('refund', timer, () => mapiRefundParams(req));
  }

  verifyNotification(n: IncomingNotification): boolean {
    try {
      const params = formParams(n.rawBody);
      if (params.partner !== undefined && params.partner !== this.config.partner) return false;
      return this.signer.verify(params, params.sign);
    } catch {
      return false;
    }
  }

  parseNotification(n: IncomingNotification): PaymentNotification | undefined {
    return parseMapiNotification(formParams(n.rawBody));
  }

  close(): void {
    this.transport.close();
  }

  /** Common plus business parameters, signed, exactly as sent. */
  async buildParams(op: MapiOperation, business: MapiParams): Promise<Record<string, string>> {
    const params: MapiParams = {
      service: MAPI_SERVICES[op],
      partner: this.config.partner,
      _input_charset: 'utf-8',
      ...business,
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out[k] = v;
    out.sign = await this.signer.sign(out);
    out.sign_type = this.signer.signType;
    return out;
  }

  private call(op: MapiOperation, timer: CallTimer, business: () => MapiParams): Promise<ChannelOutcome> {
    return guarded(timer, async () => {
      const body = new URLSearchParams(await this.buildParams(op, business())).toString();
      const res = await this.transport.post(this.url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body,
      });
      const raw = (resultCode?: string) => timer.raw({ httpStatus: res.status, resultCode });
      if (res.status < 200 || res.status > 299) return unknown('http-error', `HTTP ${res.status}`, raw());
      let answer;
      try {
        answer = readMapiAnswer(parseXml(res.body));
      } catch {
        return unknown('http-error', 'response is not MAPI XML', raw());
      }
      // Signed set: the leaf children of <response><alipay>. An is_success=F refusal carries none and is unsigned,
      // so anyone on the path could write one: it decides nothing and is unknown, like any unsigned answer.
      if (!answer.fields || !this.signer.verify(answer.fields, answer.sign)) {
        const detail = answer.isSuccess === 'F' ? `unsigned is_success F ${answer.error ?? ''}`.trim() : answer.sign ? 'response signature invalid' : 'response is not signed';
        return unknown('bad-signature', detail, raw(answer.fields?.result_code ?? answer.error));
      }
      return mapMapiAnswer(op, answer, raw);
    });
  }
}

function formParams(rawBody: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) out[k] = v;
  return out;
}
