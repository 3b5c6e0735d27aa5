/**
 * The PROXY protocol header (HAProxy's spec, versions 1 and 2) a TCP load balancer puts before a client's
 * bytes, so the switch learns the terminal's address and not the balancer's: per-source connection caps
 * and a terminal's allowed networks then apply to the terminal. Pure parsing: the caller feeds what it
 * has read and learns whether the header is complete, where it ends and whom it names.
 */
import { isIP } from 'node:net';

export interface PeerAddress {
  readonly address: string;
  readonly port: number;
}

export type ProxyHeaderParse =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'invalid'; readonly reason: string }
  /** `source` absent: a LOCAL (v2) or UNKNOWN (v1) header, the balancer's own connection (a health check). */
  | { readonly kind: 'complete'; readonly length: number; readonly source?: PeerAddress };

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ', 'ascii');
/** The longest v1 line the spec allows, CRLF included. */
const V1_MAX = 107;
/** v2 addresses and TLVs: what a balancer sends is far below this; more is refused rather than buffered. */
const V2_MAX_BODY = 1_024;
const V2_HEAD = 16;

export function parseProxyHeader(data: Buffer): ProxyHeaderParse {
  if (startsWithPrefixOf(data, V2_SIGNATURE)) return data.length < V2_SIGNATURE.length ? incomplete() : parseV2(data);
  if (startsWithPrefixOf(data, V1_PREFIX)) return data.length < V1_PREFIX.length ? incomplete() : parseV1(data);
  return invalid('no PROXY protocol header');
}

function parseV1(data: Buffer): ProxyHeaderParse {
  const end = data.indexOf('\r\n', 0, 'ascii');
  if (end < 0) return data.length >= V1_MAX ? invalid('v1 header longer than 107 bytes') : incomplete();
  if (end + 2 > V1_MAX) return invalid('v1 header longer than 107 bytes');
  const fields = data.toString('ascii', V1_PREFIX.length, end).split(' ');
  const length = end + 2;
  if (fields[0] === 'UNKNOWN') return { kind: 'complete', length };
  const [family, source, , sourcePort, destinationPort, extra] = fields;
  const version = family === 'TCP4' ? 4 : family === 'TCP6' ? 6 : 0;
  if (version === 0) return invalid(`v1 family "${family}" is not TCP4, TCP6 or UNKNOWN`);
  if (extra !== undefined || destinationPort === undefined) return invalid('v1 header needs exactly five fields');
  if (isIP(source) !== version || isIP(fields[2]) !== version) return invalid(`v1 addresses are not ${family}`);
  const port = portOf(sourcePort);
  if (port === undefined || portOf(destinationPort) === undefined) return invalid('v1 ports must be 0..65535');
  return { kind: 'complete', length, source: { address: source, port } };
}

function parseV2(data: Buffer): ProxyHeaderParse {
  if (data.length < V2_HEAD) return incomplete();
  const versionCommand = data[12];
  if (versionCommand >> 4 !== 2) return invalid('v2 version is not 2');
  const command = versionCommand & 0x0f;
  if (command > 1) return invalid('v2 command is neither LOCAL nor PROXY');
  const bodyLength = data.readUInt16BE(14);
  if (bodyLength > V2_MAX_BODY) return invalid(`v2 header of ${bodyLength} bytes is longer than ${V2_MAX_BODY}`);
  const length = V2_HEAD + bodyLength;
  if (data.length < length) return incomplete();
  if (command === 0) return { kind: 'complete', length };
  const familyProtocol = data[13];
  if (familyProtocol === 0x11 && bodyLength >= 12) {
    const address = [...data.subarray(16, 20)].join('.');
    return { kind: 'complete', length, source: { address, port: data.readUInt16BE(24) } };
  }
  if (familyProtocol === 0x21 && bodyLength >= 36) {
    return { kind: 'complete', length, source: { address: ipv6Text(data.subarray(16, 32)), port: data.readUInt16BE(48) } };
  }
  if (familyProtocol === 0x00) return { kind: 'complete', length }; // UNSPEC: the balancer's own connection
  return invalid(`v2 family/protocol 0x${familyProtocol.toString(16)} is not TCP over IPv4 or IPv6`);
}

/** An IPv4-mapped address as the IPv4 address it is; any other in its short form ("2001:db8::7"). */
function ipv6Text(bytes: Buffer): string {
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes.readUInt16BE(10) === 0xffff) return [...bytes.subarray(12)].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function startsWithPrefixOf(data: Buffer, marker: Buffer): boolean {
  const n = Math.min(data.length, marker.length);
  return n > 0 && data.subarray(0, n).equals(marker.subarray(0, n));
}

function portOf(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65_535 ? port : undefined;
}

const incomplete = (): ProxyHeaderParse => ({ kind: 'incomplete' });
const invalid = (reason: string): ProxyHeaderParse => ({ kind: 'invalid', reason });
