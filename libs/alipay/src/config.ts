import type { RsaAlgorithm } from './signing';

interface CommonConfig {
  /** Hard deadline of one HTTP call, connect to last body byte. */
  timeoutMs: number;
  /** Clock for request timestamps; tests pin it. Defaults to the system clock. */
  now?: () => Date;
}

export interface AmsConfig extends CommonConfig {
  channel: 'ams';
  /** e.g. https://open-sea-global.alipay.com (no trailing path) or the sandbox URL. */
  baseUrl: string;
  clientId: string;
  /** PEM or bare base64 (PKCS#8 or PKCS#1). */
  merchantPrivateKey: string;
  /** PEM, bare base64 or an X.509 certificate. */
  alipayPublicKey: string;
  /** Defaults to "1", as the official SDKs do. */
  keyVersion?: string;
}

export interface OpenapiConfig extends CommonConfig {
  channel: 'openapi';
  /** .../gateway.do */
  gatewayUrl: string;
  appId: string;
  merchantPrivateKey: string;
  alipayPublicKey: string;
  signType?: RsaAlgorithm;
  /** Certificate mode: SN of our app certificate (see certSn). */
  appCertSn?: string;
  /** Certificate mode: SN of Alipay's root chain (see rootCertSn). */
  alipayRootCertSn?: string;
  /** Certificate mode: SN of the Alipay public certificate we hold; responses must carry the same. */
  alipayCertSn?: string;
}

export interface MapiConfig extends CommonConfig {
  channel: 'mapi';
  /** .../gateway.do (the adapter adds `_input_charset=utf-8` to the query). */
  gatewayUrl: string;
  /** 16 digits starting 2088. */
  partner: string;
  signType: 'MD5' | RsaAlgorithm;
  md5Key?: string;
  merchantPrivateKey?: string;
  alipayPublicKey?: string;
}

export type ChannelConfig = AmsConfig | OpenapiConfig | MapiConfig;

/** A configuration that cannot work (missing key for the chosen sign type, bad URL). */
export class ChannelConfigError extends Error {
  readonly code = 'ALIPAY.CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}
