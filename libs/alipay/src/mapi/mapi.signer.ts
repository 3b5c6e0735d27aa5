import type { KeyObject } from 'node:crypto';
import { ChannelConfigError, MapiConfig } from '../config';
import { loadPrivateKey, loadPublicKey, mapiMd5Sign, mapiMd5Verify, mapiSignContent, rsaSignAsync, rsaVerify, SignParams } from '../signing';

/** MAPI signs requests, responses and notifications by one rule: sorted k=v without sign/sign_type. */
export class MapiSigner {
  private readonly md5Key?: string;
  private readonly privateKey?: KeyObject;
  private readonly alipayKey?: KeyObject;

  constructor(readonly signType: MapiConfig['signType'], config: Pick<MapiConfig, 'md5Key' | 'merchantPrivateKey' | 'alipayPublicKey'>) {
    if (signType === 'MD5') {
      if (!config.md5Key) throw new ChannelConfigError('mapi: signType MD5 needs md5Key');
      this.md5Key = config.md5Key;
    } else {
      if (!config.merchantPrivateKey || !config.alipayPublicKey) {
        throw new ChannelConfigError(`mapi: signType ${signType} needs merchantPrivateKey and alipayPublicKey`);
      }
      this.privateKey = loadPrivateKey(config.merchantPrivateKey);
      this.alipayKey = loadPublicKey(config.alipayPublicKey);
    }
  }

  async sign(params: SignParams): Promise<string> {
    if (this.signType === 'MD5') return mapiMd5Sign(params, this.md5Key as string);
    return rsaSignAsync(mapiSignContent(params), this.privateKey as KeyObject, this.signType);
  }

  verify(params: SignParams, sign: string | undefined): boolean {
    if (!sign) return false;
    if (this.signType === 'MD5') return mapiMd5Verify(params, sign, this.md5Key as string);
    return rsaVerify(mapiSignContent(params), sign, this.alipayKey as KeyObject, this.signType);
  }
}
