import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One data-encryption key and the id sealed values name it by. */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

export const DEFAULT_DATA_KEY_ID = 'k1';

/** Format 1 (no key id, no associated data): still opened, never written. */
const LEGACY = 'v1';
const CURRENT = 'v2';

/**
 * AES-256-GCM for secrets at rest (MAC keys, tokens, merchant private keys). A sealed value is
 * `v2:<key id>:<nonce>:<tag>:<body>` and is bound to where it is stored: the column and row (`context`, see
 * `sealedIn`) and the key id are the cipher's associated data, so a value copied into another row, or
 * relabelled with another key id, does not open. Keys rotate: values are sealed under the current key and
 * opened under whichever key of the ring their id names.
 */
export class SecretBox {
  private readonly current: DataKey;
  private readonly ring = new Map<string, Buffer>();

  constructor(current: Buffer | DataKey, older: readonly DataKey[] = []) {
    this.current = Buffer.isBuffer(current) ? { id: DEFAULT_DATA_KEY_ID, key: current } : current;
    for (const dataKey of [this.current, ...older]) {
      if (dataKey.key.length !== 32) throw new Error(`SecretBox: data key "${dataKey.id}" is not 32 bytes`);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(dataKey.id))
        throw new Error(`SecretBox: bad data key id "${dataKey.id}"`);
      if (!this.ring.has(dataKey.id)) this.ring.set(dataKey.id, dataKey.key);
    }
  }

  seal(plain: Buffer | string, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, nonce);
    cipher.setAAD(associatedData(this.current.id, context));
    const body = Buffer.concat([
      cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain),
      cipher.final(),
    ]);
    return [
      CURRENT,
      this.current.id,
      nonce.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  open(sealed: string, context: string): Buffer {
    const parts = sealed.split(':');
    if (parts[0] === CURRENT && parts.length === 5) {
      const [, keyId, nonce, tag, body] = parts as [string, string, string, string, string];
      const key = this.ring.get(keyId);
      if (!key) throw new Error(`SecretBox: no data key "${keyId}" in the key ring`);
      return decrypt(key, nonce, tag, body, associatedData(keyId, context));
    }
    if (parts[0] === LEGACY && parts.length === 4)
      return this.openLegacy(parts as [string, string, string, string]);
    throw new Error('SecretBox: unrecognised sealed value');
  }

  openText(sealed: string, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }

  /** True when `sealed` is not under the current key (or in the legacy format): seal it again on its next write. */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`${CURRENT}:${this.current.id}:`);
  }

  /** v1 values name no key: the tag tells which key of the ring sealed them. */
  private openLegacy([, nonce, tag, body]: [string, string, string, string]): Buffer {
    for (const key of this.ring.values()) {
      try {
        return decrypt(key, nonce, tag, body);
      } catch {
        // not this key
      }
    }
    throw new Error('SecretBox: no key of the ring opens this v1 value');
  }
}

/** The context of a sealed column's value: its table, column and row id. */
/** A sealed value's context: the table, the column and the row's key, so it opens only where it was sealed. */
export function sealedContext(table: string, column: string, rowKey: string): string {
  return `${table}.${column}:${rowKey}`;
}

export const sealedIn = {
  terminalMacKey: (terminalId: string) => sealedContext('terminals', 'mac_key_sealed', terminalId),
  merchantCredentials: (merchantId: string) => sealedContext('merchants', 'credentials_sealed', merchantId),
  merchantAgentToken: (merchantId: string) => sealedContext('merchants', 'agent_token_sealed', merchantId),
  isvRefreshToken: (merchantId: string) => sealedContext('isv_tokens', 'refresh_sealed', merchantId),
} as const;

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`${keyId}\n${context}`, 'utf8');
}

function decrypt(key: Buffer, nonce: string, tag: string, body: string, aad?: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
}

/** The SecretBox of the configured key ring (current key plus the ones rotated out). */
export function secretBoxFor(secrets: {
  readonly dataEncryptionKey: Buffer;
  readonly dataEncryptionKeyId: string;
  readonly olderDataKeys: readonly DataKey[];
}): SecretBox {
  return new SecretBox(
    { id: secrets.dataEncryptionKeyId, key: secrets.dataEncryptionKey },
    secrets.olderDataKeys,
  );
}
