import type { ChannelOutcome, ChannelRaw, MerchantContext } from '../channel.port';
import type { JsonRecord } from '../json';
import type { CallTimer } from '../outcome';

/** What one gateway call sends besides the common parameters. */
export interface GatewayRequest {
  biz?: Record<string, string>;
  /** Request parameters outside biz_content (alipay.system.oauth.token's grant_type and code). */
  params?: Record<string, string>;
  notifyUrl?: string;
}

/** A verified `<method>_response` node, or the outcome that stands for a missing or untrustworthy one. */
export type GatewayAnswer =
  | { ok: true; node: JsonRecord; raw: (resultCode?: string) => ChannelRaw }
  | { ok: false; outcome: Extract<ChannelOutcome, { kind: 'unknown' }> };

/** The signed exchange the in-app calls share with the barcode calls. */
export interface OpenapiGateway {
  exchange(method: string, timer: CallTimer, merchant: MerchantContext, request: GatewayRequest): Promise<GatewayAnswer>;
}

