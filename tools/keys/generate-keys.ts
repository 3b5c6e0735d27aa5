/**
 * The secrets an operator creates: the two 64-hex switch keys and RSA-2048 key pairs for Alipay merchants
 * (the private key stays with the switch, the public key is uploaded to Alipay's console).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** 32 random bytes as 64 hex characters: the format PAYMENT_CODE_HASH_KEY and DATA_ENCRYPTION_KEY take. */
export function hexKey(): string {
  return randomBytes(32).toString('hex');
}

/** The switch keys as environment lines, ready for a secrets store. */
export function switchKeyLines(): string[] {
  return [`PAYMENT_CODE_HASH_KEY=${hexKey()}`, `DATA_ENCRYPTION_KEY=${hexKey()}`];
}

export interface RsaPair {
  /** PKCS#8 PEM: what the merchant's credentials hold as merchantPrivateKey. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  /** The public key as one bare base64 line, the form Alipay's console asks for. */
  publicKeyBase64: string;
}

export function rsaPair(): RsaPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const publicKeyBase64 = publicKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return { privateKeyPem: privateKey, publicKeyPem: publicKey, publicKeyBase64 };
}

/** Writes `<name>-private.pem` (mode 0600) and `<name>-public.pem` into `dir`; returns their paths. */
export async function writeRsaPair(
  dir: string,
  name: string,
  pair: RsaPair,
): Promise<{ privatePath: string; publicPath: string }> {
  const privatePath = join(dir, `${name}-private.pem`);
  const publicPath = join(dir, `${name}-public.pem`);
  await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
  await chmod(privatePath, 0o600);
  await writeFile(publicPath, pair.publicKeyPem, { flag: 'wx' });
  return { privatePath, publicPath };
}
