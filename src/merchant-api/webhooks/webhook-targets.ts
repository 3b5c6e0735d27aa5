/**
 * Where a webhook may be POSTed. The URL is the merchant's, so without a rule an API client could make the
 * switch call what only the switch can reach: the admin API, the database host, a cloud metadata address.
 * By default an address that is loopback, private, link-local, shared (CGNAT), multicast or reserved is
 * refused; PAY_API_WEBHOOK_ALLOW_PRIVATE lifts that (a merchant server on the acquirer's own network).
 * PAY_API_WEBHOOK_ALLOWED_HOSTS, when set, also limits the host names. The address is checked where the
 * socket connects (the lookup the request uses), so a name that resolves elsewhere between a check and
 * the connection (DNS rebinding) gains nothing.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { SourceNetworks } from '../../terminal/source-networks';

export interface WebhookTargetPolicy {
  readonly allowPrivate: boolean;
  /** Host names, or suffixes starting with a dot; undefined: any host. */
  readonly allowedHosts?: readonly string[];
}

// SourceNetworks matches an IPv4 client seen as `::ffff:a.b.c.d` as the IPv4 address it is.
const NOT_PUBLIC = SourceNetworks.parse(
  [
    '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
    '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4',
    '::/128', '::1/128', '64:ff9b::/96', 'fc00::/7', 'fe80::/10', 'ff00::/8', // 64:ff9b::/96 (NAT64) reaches IPv4, private included
  ].join(','),
);

/** Whether an IP address is one a webhook may not reach unless private addresses are allowed. */
export function isPrivateAddress(address: string): boolean {
  return isIP(address) === 0 || NOT_PUBLIC.allows(address); // not an address at all: refuse rather than guess
}

export class WebhookTargets {
  constructor(private readonly policy: WebhookTargetPolicy) {}

  /** Why `url` may not be called at all (its host, or its literal address), or undefined. */
  refusal(url: URL): string | undefined {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const allowed = this.policy.allowedHosts;
    if (allowed && !allowed.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry))) {
      return `webhook host ${host} is not in PAY_API_WEBHOOK_ALLOWED_HOSTS`;
    }
    if (isIP(host) !== 0) return this.addressRefusal(host);
    return undefined;
  }

  /** A lookup for http.request that fails the connection when a resolved address is refused. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.map((a) => this.addressRefusal(a.address)).find((r) => r !== undefined);
      if (refused) return callback(Object.assign(new Error(refused), { code: 'EWEBHOOKTARGET' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

  private addressRefusal(address: string): string | undefined {
    if (this.policy.allowPrivate || !isPrivateAddress(address)) return undefined;
    return `webhook address ${address} is loopback, private or reserved (PAY_API_WEBHOOK_ALLOW_PRIVATE is off)`;
  }
}
