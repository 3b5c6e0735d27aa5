import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { KeyFormatError } from './errors';

// Alipay's consoles hand keys out as one bare base64 line (no PEM armour), PKCS#1 or PKCS#8 for the
// merchant private key and SPKI for the Alipay public key; merchants paste either form into config.

const PEM_ARMOUR = /-----BEGIN [A-Z0-9 ]+-----/;

function bareDer(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Reads a merchant private key: PEM (PKCS#1 or PKCS#8) or bare base64 DER (PKCS#8 or PKCS#1). */
export function loadPrivateKey(text: string): KeyObject {
  if (PEM_ARMOUR.test(text)) {
    try {
      return createPrivateKey({ key: text.trim(), format: 'pem' });
    } catch {
      throw new KeyFormatError('private key (PEM)');
    }
  }
  const der = bareDer(text);
  if (der) {
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      try {
        return createPrivateKey({ key: der, format: 'der', type });
      } catch {
        // try the next encoding
      }
    }
  }
  throw new KeyFormatError('private key');
}

/** Reads a public key: PEM (SPKI or PKCS#1), an X.509 certificate PEM, or bare base64 DER (SPKI or PKCS#1). */
export function loadPublicKey(text: string): KeyObject {
  if (PEM_ARMOUR.test(text)) {
    try {
      // node:crypto reads "PUBLIC KEY", "RSA PUBLIC KEY" and "CERTIFICATE" armour alike.
      return createPublicKey({ key: firstPemBlock(text), format: 'pem' });
    } catch {
      throw new KeyFormatError('public key (PEM)');
    }
  }
  const der = bareDer(text);
  if (der) {
    for (const type of ['spki', 'pkcs1'] as const) {
      try {
        return createPublicKey({ key: der, format: 'der', type });
      } catch {
        // try the next encoding
      }
    }
  }
  throw new KeyFormatError('public key');
}

// A certificate chain file may hold several blocks; the first is the leaf whose key we want.
function firstPemBlock(text: string): string {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/.exec(text);
  return match ? match[0] : text.trim();
}

/** A fresh RSA-2048 key pair as PEM (PKCS#8 private, SPKI public), for tests and the sandbox. */
export function generateRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
