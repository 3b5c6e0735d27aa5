import { BlockList, isIP } from 'node:net';
import { SourceNetworksError } from './terminal.errors';

/**
 * A terminal's allow-list of source networks ("10.1.0.0/16, 192.0.2.7"): the addresses its frames may come
 * from. Written as CIDRs or single addresses, IPv4 or IPv6; an IPv4 client seen through a dual-stack socket
 * (`::ffff:10.1.2.3`) is matched as the IPv4 address it is.
 */
export class SourceNetworks {
  private constructor(
    private readonly list: BlockList,
    /** The list as written, for logs and docs. */
    readonly text: string,
  ) {}

  /** Parses a comma-separated list; throws naming the first entry that is not an address or CIDR. */
  static parse(text: string): SourceNetworks {
    const list = new BlockList();
    const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
    if (entries.length === 0) throw new SourceNetworksError(text, 'no network given');
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address ?? '');
      if (family === 0 || extra !== undefined) throw new SourceNetworksError(entry, 'not an IP address or CIDR');
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) {
        list.addAddress(address, type);
        continue;
      }
      const prefix = Number(bits);
      if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new SourceNetworksError(entry, 'bad prefix length');
      list.addSubnet(address, prefix, type);
    }
    return new SourceNetworks(list, entries.join(','));
  }

  allows(remoteAddress: string | undefined): boolean {
    if (remoteAddress === undefined) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
    const address = mapped ? mapped[1] : remoteAddress;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
