// AMS / Alipay+ signing: the signed text binds method, path, client, time and the exact body bytes.

/** "POST /ams/api/v1/payments/pay\n<clientId>.<time>.<body>" */
export function amsSignContent(
  httpMethod: string,
  path: string,
  clientId: string,
  time: string,
  body: string,
): string {
  return `${httpMethod.toUpperCase()} ${path}\n${clientId}.${time}.${body}`;
}

/** The `Signature` header value; the base64 is URL-encoded as Java's URLEncoder does (+ / = escaped). */
export function formatAmsSignatureHeader(signatureBase64: string, keyVersion = '1'): string {
  return `algorithm=RSA256,keyVersion=${keyVersion},signature=${encodeURIComponent(signatureBase64)}`;
}

export interface AmsSignatureHeader {
  algorithm: string;
  keyVersion?: string;
  /** Decoded: plain base64, ready for rsaVerify. */
  signature: string;
}

/** Parses `algorithm=RSA256,keyVersion=1,signature=<urlencoded>`; undefined when no signature is present. */
export function parseAmsSignatureHeader(header: string): AmsSignatureHeader | undefined {
  if (typeof header !== 'string') return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const encoded = fields.get('signature');
  if (!encoded) return undefined;
  let signature: string;
  try {
    signature = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const keyVersion = fields.get('keyversion');
  return {
    algorithm: fields.get('algorithm') ?? 'RSA256',
    ...(keyVersion !== undefined ? { keyVersion } : {}),
    signature,
  };
}
