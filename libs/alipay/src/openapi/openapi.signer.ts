import type { KeyObject } from 'node:crypto';
import {
  extractOpenapiResponseSignContent,
  loadPrivateKey,
  loadPublicKey,
  openapiNotifySignContent,
  openapiSignContent,
  RsaAlgorithm,
  rsaSignAsync,
  rsaVerify,
  SignParams,
} from '../signing';

export class OpenapiSigner {
  private readonly privateKey: KeyObject;
  private readonly alipayKey: KeyObject;

  constructor(
    merchantPrivateKey: string,
    alipayPublicKey: string,
    readonly signType: RsaAlgorithm,
  ) {
    this.privateKey = loadPrivateKey(merchantPrivateKey);
    this.alipayKey = loadPublicKey(alipayPublicKey);
  }

  /** v2 request signature over every parameter but `sign`. */
  sign(params: SignParams): Promise<string> {
    return rsaSignAsync(openapiSignContent(params), this.privateKey, this.signType);
  }

  /** The signature over the raw `<method>_response` (or error_response) text. */
  verifyResponse(rawBody: string, method: string, sign: string): boolean {
    const content = extractOpenapiResponseSignContent(rawBody, method);
    return content !== undefined && rsaVerify(content, sign, this.alipayKey, this.signType);
  }

  /**
   * Async notifications are signed by the v1 rule (sign and sign_type excluded); like the official Node SDK,
   * fall back to the v2 rule (sign_type included), which some Alipay messages use.
   */
  verifyNotification(params: SignParams): boolean {
    const sign = params.sign;
    if (!sign) return false;
    return (
      rsaVerify(openapiNotifySignContent(params), sign, this.alipayKey, this.signType) ||
      rsaVerify(openapiSignContent(params), sign, this.alipayKey, this.signType)
    );
  }
}
