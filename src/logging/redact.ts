/**
 * Key names whose values are secrets, wherever they sit in a log object. pino's own `redact` paths match a
 * fixed depth (`*.macKey` is one level down, never the top level nor `a.b.macKey`), so the log object is
 * walked instead. Compared without case, `-` or `_`, so `agent-token` and `AGENT_TOKEN` count as `agentToken`.
 */
const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'privateKey',
    'merchantPrivateKey',
    'alipayPrivateKey',
    'md5Key',
    'macKey',
    'agentToken',
    'accessToken',
    'appAuthToken',
    'refreshToken',
    'paymentCode',
    'password',
    'saslPassword',
    'secret',
    'apiKey',
    'authorization',
    'signature',
    'sign',
    'dataEncryptionKey',
    'paymentCodeHashKey',
    // Merchant API client secrets (shown once), and the H5 customer's one-time Alipay auth code.
    'clientSecret',
    'authCode',
  ].map(normalise),
);

export const REDACTED = '[redacted]';

// Deeper than any log object the switch writes; past it values are dropped rather than walked.
const MAX_DEPTH = 10;

function normalise(key: string): string {
  return key.replace(/[-_]/g, '').toLowerCase();
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalise(key));
}

/**
 * `value` with every secret-named key's value replaced, at any depth. Objects are copied only where something
 * changes, so the caller's objects are never modified and a clean log line costs one walk. Errors, Buffers
 * and other class instances are left to pino's serializers.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]' as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...(value as unknown[])])[index] = redacted;
    });
    return (copy ?? value) as T;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const redacted = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactSecrets(item, depth + 1);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return (copy ?? value) as T;
}
