import type { EnvReader } from './env-reader';

/** Settings of docs/operations.md "Security": what limits a stolen terminal identity or a hostile network. */
export interface SecurityConfig {
  /** Per merchant and UTC day; a refund that would pass either limit is answered 61. Unset: not limited. */
  readonly refundDailyLimit: { readonly amountMinor?: number; readonly count?: number };
  /**
   * NODE_ENV=production: the only hosts merchants' Alipay endpoints may name (always over https). Outside
   * production any endpoint is accepted (the sandbox, a test double).
   */
  readonly alipayEndpointHosts?: readonly string[];
}

/** Alipay's production gateways: Antom (AMS) per region, Open Platform, Global MAPI. */
export const DEFAULT_ALIPAY_ENDPOINT_HOSTS: readonly string[] = [
  'open-sea-global.alipay.com',
  'open-na-global.alipay.com',
  'open-de-global.alipay.com',
  'open-eu-global.alipay.com',
  'openapi.alipay.com',
  'intlmapi.alipay.com',
  'globalmapi.alipay.com',
  'mapi.alipay.com',
];

export function readSecurityConfig(read: EnvReader, production: boolean): SecurityConfig {
  const hostList = read.optionalString('ALIPAY_ENDPOINT_HOSTS');
  const hosts = hostList === undefined ? DEFAULT_ALIPAY_ENDPOINT_HOSTS : hostList.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (hosts.some((host) => !/^[a-z0-9.-]+(:\d{1,5})?$/.test(host)))
    read.problem(`ALIPAY_ENDPOINT_HOSTS must be a comma-separated list of host names (host[:port]), got "${hostList}"`);
  return {
    refundDailyLimit: {
      amountMinor: read.optionalInteger('REFUND_DAILY_LIMIT_MINOR', { min: 0 }),
      count: read.optionalInteger('REFUND_DAILY_LIMIT_COUNT', { min: 0 }),
    },
    alipayEndpointHosts: production ? hosts : undefined,
  };
}

/** Why `url` may not be used as an Alipay endpoint under `hosts` (https on a listed host), or undefined when it may. */
export function alipayEndpointProblem(url: string, hosts: readonly string[] | undefined): string | undefined {
  if (hosts === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== 'https:') return `"${url}" is not https`;
  if (!hosts.includes(parsed.host.toLowerCase())) return `host "${parsed.host}" is not in ALIPAY_ENDPOINT_HOSTS`;
  return undefined;
}

/** DATABASE_SQL_MODE: the session sql_mode of every MySQL connection. */
export function readSqlMode(read: EnvReader): string {
  const mode = read.string('DATABASE_SQL_MODE', DEFAULT_SQL_MODE).toUpperCase();
  const problem = sqlModeProblem(mode);
  if (problem) read.problem(`DATABASE_SQL_MODE: ${problem}`);
  return mode;
}

/**
 * The session `sql_mode` every connection of the switch runs under, whatever the server's global default.
 * mysql2 escapes values on the client with backslashes; under `NO_BACKSLASH_ESCAPES` the server would read
 * `\'` as a backslash and a closing quote, so a crafted field could end its string. Strict modes keep a
 * too-long or truncated value an error instead of a silent change.
 */
export const DEFAULT_SQL_MODE = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** Why a `sql_mode` would be unsafe for client-side escaping, or undefined when it is fine. */
export function sqlModeProblem(mode: string): string | undefined {
  if (!/^[A-Z_]*(,[A-Z_]+)*$/.test(mode)) return `"${mode}" is not a comma-separated list of SQL mode names`;
  if (mode.split(',').includes('NO_BACKSLASH_ESCAPES'))
    return 'NO_BACKSLASH_ESCAPES breaks the client-side escaping of values (mysql2)';
  return undefined;
}

/**
 * DATA_ENCRYPTION_KEY_ID names the current key; DATA_ENCRYPTION_OLD_KEYS (`id:64 hex,id:64 hex`) are keys
 * rotated out, kept so what they sealed still opens. `refusedKeysHex`: keys no ring may hold (production: the demo keys).
 */
export function readDataKeyRing(
  read: EnvReader,
  refusedKeysHex: readonly string[],
): { dataEncryptionKeyId: string; olderDataKeys: Array<{ id: string; key: Buffer }> } {
  const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
  const dataEncryptionKeyId = read.string('DATA_ENCRYPTION_KEY_ID', 'k1');
  if (!KEY_ID.test(dataEncryptionKeyId)) read.problem('DATA_ENCRYPTION_KEY_ID must be 1-32 letters, digits, "-" or "_"');
  const olderDataKeys: Array<{ id: string; key: Buffer }> = [];
  for (const entry of (read.optionalString('DATA_ENCRYPTION_OLD_KEYS') ?? '').split(',').filter((e) => e.trim() !== '')) {
    const [id, hex] = entry.trim().split(':');
    if (id === undefined || !KEY_ID.test(id) || hex === undefined || !/^[0-9a-fA-F]{64}$/.test(hex)) {
      read.problem('DATA_ENCRYPTION_OLD_KEYS must be a comma-separated list of id:<64 hex characters>');
      continue;
    }
    if (id === dataEncryptionKeyId) read.problem(`DATA_ENCRYPTION_OLD_KEYS: "${id}" is the current DATA_ENCRYPTION_KEY_ID`);
    if (refusedKeysHex.includes(hex.toLowerCase())) read.problem(`DATA_ENCRYPTION_OLD_KEYS: "${id}" is a demo key`);
    olderDataKeys.push({ id, key: Buffer.from(hex, 'hex') });
  }
  return { dataEncryptionKeyId, olderDataKeys };
}
