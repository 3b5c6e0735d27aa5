import { KeyObject, sign, verify } from 'node:crypto';

/** Alipay's names: RSA2 = SHA256withRSA, RSA = SHA1withRSA (legacy). PKCS#1 v1.5 padding in both. */
export type RsaAlgorithm = 'RSA2' | 'RSA';

function digestOf(algorithm: RsaAlgorithm): 'sha256' | 'sha1' {
  return algorithm === 'RSA' ? 'sha1' : 'sha256';
}

/** Signs the UTF-8 bytes of `content`; returns base64. */
export function rsaSign(content: string, key: KeyObject, algorithm: RsaAlgorithm = 'RSA2'): string {
  return sign(digestOf(algorithm), Buffer.from(content, 'utf8'), key).toString('base64');
}

let onThreadPool = false;

/**
 * Where the signatures of calls to Alipay are made: inline on the event loop (the default) or on libuv's
 * thread pool. Measured on the 2-core VM of docs/benchmarks.md, handing each 0.5 ms signature to a pool
 * thread and back cost the switch more CPU (two cross-thread wake-ups per call) than it saved the event
 * loop; on a machine with cores to spare the pool signs several at once. Set once at start.
 */
export function signOnThreadPool(on: boolean): void {
  onThreadPool = on;
}

/** rsaSign as a promise, made where signOnThreadPool says. */
export function rsaSignAsync(content: string, key: KeyObject, algorithm: RsaAlgorithm = 'RSA2'): Promise<string> {
  if (!onThreadPool) {
    try {
      return Promise.resolve(rsaSign(content, key, algorithm));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return new Promise((resolve, reject) =>
    sign(digestOf(algorithm), Buffer.from(content, 'utf8'), key, (err, signature) =>
      err ? reject(err) : resolve(signature.toString('base64')),
    ),
  );
}

/** True only for a valid signature; any malformed input (bad base64, wrong key type) is simply false. */
export function rsaVerify(
  content: string,
  signatureBase64: string,
  key: KeyObject,
  algorithm: RsaAlgorithm = 'RSA2',
): boolean {
  if (typeof signatureBase64 !== 'string' || signatureBase64.length === 0) return false;
  try {
    const signature = Buffer.from(signatureBase64, 'base64');
    if (signature.length === 0) return false;
    return verify(digestOf(algorithm), Buffer.from(content, 'utf8'), key, signature);
  } catch {
    return false;
  }
}
