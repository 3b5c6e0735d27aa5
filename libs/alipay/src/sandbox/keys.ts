import { KeyObject } from 'node:crypto';
import { loadPrivateKey, loadPublicKey } from '../signing';
import { SandboxCredentials } from './credentials';

interface RsaPair {
  /** Verifies what the merchant signed. */
  merchantPublic: KeyObject;
  /** Signs what "Alipay" answers or notifies. */
  alipayPrivate: KeyObject;
}

/** KeyObjects parsed once at start: parsing PEM per request would cost more than the signing itself. */
export interface SandboxKeys {
  ams: RsaPair;
  openapi: RsaPair;
  mapi: RsaPair & { md5Key: string };
}

export function loadSandboxKeys(credentials: SandboxCredentials): SandboxKeys {
  const pair = (c: { merchantPublicKey: string; alipayPrivateKey: string }): RsaPair => ({
    merchantPublic: loadPublicKey(c.merchantPublicKey),
    alipayPrivate: loadPrivateKey(c.alipayPrivateKey),
  });
  return {
    ams: pair(credentials.ams),
    openapi: pair(credentials.openapi),
    mapi: { ...pair(credentials.mapi), md5Key: credentials.mapi.md5Key },
  };
}
