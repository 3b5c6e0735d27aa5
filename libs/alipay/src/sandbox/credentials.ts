import credentialsFile from './sandbox-credentials.json';

/**
 * Both sides' keys for each protocol. The sandbox plays Alipay, so it holds "Alipay's" private keys and
 * the merchant public keys; a switch configured for the sandbox takes the merchant private keys and the
 * Alipay public keys. All keys are PEM text (PKCS#8 private, SPKI public).
 */
export interface SandboxCredentials {
  openapi: {
    appId: string;
    merchantPrivateKey: string;
    merchantPublicKey: string;
    alipayPrivateKey: string;
    alipayPublicKey: string;
  };
  ams: {
    clientId: string;
    merchantPrivateKey: string;
    merchantPublicKey: string;
    alipayPrivateKey: string;
    alipayPublicKey: string;
    keyVersion: string;
  };
  mapi: {
    /** 16 digits, starting 2088. */
    partner: string;
    /** 32 characters, appended to the MAPI sign content. */
    md5Key: string;
    merchantPrivateKey: string;
    merchantPublicKey: string;
    alipayPrivateKey: string;
    alipayPublicKey: string;
  };
}

/** The committed demo credentials file is malformed (a missing or badly shaped field). */
export class SandboxCredentialsError extends Error {
  readonly code = 'SANDBOX.CREDENTIALS';
  constructor(field: string) {
    super(`sandbox credentials: ${field} is missing or malformed`);
    this.name = 'SandboxCredentialsError';
  }
}

/** Path of the demo credentials file, relative to the repository root (for docs and error messages). */
export const SANDBOX_CREDENTIALS_PATH = 'libs/alipay/src/sandbox/sandbox-credentials.json';

/** A fresh copy of the committed demo credentials (callers may mutate their copy freely). */
export function loadSandboxCredentials(): SandboxCredentials {
  return validateSandboxCredentials(JSON.parse(JSON.stringify(credentialsFile)) as unknown);
}

/** Checks the shape once at load so a broken file fails at start, naming the field. */
export function validateSandboxCredentials(value: unknown): SandboxCredentials {
  const root = record(value, 'root');
  const openapi = record(root.openapi, 'openapi');
  const ams = record(root.ams, 'ams');
  const mapi = record(root.mapi, 'mapi');
  for (const [section, name] of [
    [openapi, 'openapi'],
    [ams, 'ams'],
    [mapi, 'mapi'],
  ] as const) {
    for (const key of ['merchantPrivateKey', 'merchantPublicKey', 'alipayPrivateKey', 'alipayPublicKey']) {
      text(section[key], `${name}.${key}`, /-----BEGIN [A-Z ]+-----/);
    }
  }
  text(openapi.appId, 'openapi.appId', /^\d{16}$/);
  text(ams.clientId, 'ams.clientId', /^\S+$/);
  text(ams.keyVersion, 'ams.keyVersion', /^\d+$/);
  text(mapi.partner, 'mapi.partner', /^2088\d{12}$/);
  text(mapi.md5Key, 'mapi.md5Key', /^[0-9A-Za-z]{32}$/);
  return value as SandboxCredentials;
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new SandboxCredentialsError(field);
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, shape: RegExp): void {
  if (typeof value !== 'string' || !shape.test(value)) throw new SandboxCredentialsError(field);
}
