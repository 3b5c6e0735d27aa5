import type { KeyObject } from 'node:crypto';
import {
  amsSignContent,
  formatAmsSignatureHeader,
  loadPrivateKey,
  loadPublicKey,
  parseAmsSignatureHeader,
  rsaSignAsync,
  rsaVerify,
} from '../signing';

export type AmsVerdict = 'valid' | 'missing' | 'invalid';

/** Keys are parsed once; signing and verifying are node:crypto calls on cached KeyObjects. */
export class AmsSigner {
  private readonly privateKey: KeyObject;
  private readonly alipayKey: KeyObject;

  constructor(
    private readonly clientId: string,
    merchantPrivateKey: string,
    alipayPublicKey: string,
    private readonly keyVersion = '1',
  ) {
    this.privateKey = loadPrivateKey(merchantPrivateKey);
    this.alipayKey = loadPublicKey(alipayPublicKey);
  }

  /** The `Signature` header for a request. */
  async signatureHeader(path: string, requestTime: string, body: string): Promise<string> {
    const content = amsSignContent('POST', path, this.clientId, requestTime, body);
    return formatAmsSignatureHeader(await rsaSignAsync(content, this.privateKey, 'RSA2'), this.keyVersion);
  }

  /**
   * Checks a signed message from Alipay (a response or a notification): the signature over
   * "POST <path>\n<clientId>.<time>.<body>", where clientId must be ours.
   */
  verify(path: string, clientIdHeader: string | undefined, time: string | undefined, signature: string | undefined, body: string): AmsVerdict {
    if (!signature || !time) return 'missing';
    const parsed = parseAmsSignatureHeader(signature);
    if (!parsed) return 'missing';
    if (clientIdHeader !== undefined && clientIdHeader !== this.clientId) return 'invalid';
    const content = amsSignContent('POST', path, this.clientId, time, body);
    return rsaVerify(content, parsed.signature, this.alipayKey, 'RSA2') ? 'valid' : 'invalid';
  }
}
