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
