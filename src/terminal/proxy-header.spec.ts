import { parseProxyHeader } from './proxy-header';

const v2 = (command: number, familyProtocol: number, body: Buffer): Buffer => {
  const head = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x20 | command, familyProtocol, 0, 0]);
  head.writeUInt16BE(body.length, 14);
  return Buffer.concat([head, body]);
};
const ipv4Body = Buffer.from([192, 0, 2, 7, 10, 0, 0, 1, 0x9c, 0x40, 0x21, 0x87]); // 192.0.2.7:40000 -> 10.0.0.1:8583

describe('PROXY protocol header', () => {
  it('reads a v1 header and where it ends, for TCP4, TCP6 and UNKNOWN', () => {
    const line = 'PROXY TCP4 192.0.2.7 10.0.0.1 40000 8583\r\n';
    expect(parseProxyHeader(Buffer.from(`${line}\x00\x2a`, 'latin1'))).toEqual({ kind: 'complete', length: line.length, source: { address: '192.0.2.7', port: 40000 } });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::7 2001:db8::1 1 2\r\n'))).toMatchObject({ source: { address: '2001:db8::7', port: 1 } });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ kind: 'complete', length: 15 });
  });

  it('waits for the rest of a header cut anywhere', () => {
    const line = Buffer.from('PROXY TCP4 192.0.2.7 10.0.0.1 40000 8583\r\n');
    for (let n = 1; n < line.length; n++) expect(parseProxyHeader(line.subarray(0, n))).toEqual({ kind: 'incomplete' });
    const binary = v2(1, 0x11, ipv4Body);
    for (let n = 1; n < binary.length; n++) expect(parseProxyHeader(binary.subarray(0, n))).toEqual({ kind: 'incomplete' });
  });

  it('refuses what is not a header, or a malformed one', () => {
    expect(parseProxyHeader(Buffer.from([0x00, 0x2e, 0x30, 0x38]))).toEqual({ kind: 'invalid', reason: 'no PROXY protocol header' });
    expect(parseProxyHeader(Buffer.from('PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n'))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n'))).toMatchObject({ kind: 'invalid', reason: 'v1 addresses are not TCP4' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 70000 2\r\n'))).toMatchObject({ kind: 'invalid', reason: 'v1 ports must be 0..65535' });
    expect(parseProxyHeader(Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`))).toMatchObject({ kind: 'invalid', reason: 'v1 header longer than 107 bytes' });
    expect(parseProxyHeader(v2(2, 0x11, ipv4Body))).toMatchObject({ kind: 'invalid', reason: 'v2 command is neither LOCAL nor PROXY' });
    expect(parseProxyHeader(v2(1, 0x12, ipv4Body))).toMatchObject({ kind: 'invalid' }); // UDP
    expect(parseProxyHeader(v2(1, 0x11, Buffer.alloc(2_000)))).toMatchObject({ kind: 'invalid' });
  });

  it('reads a v2 header: IPv4, IPv6 with TLVs after the addresses, and LOCAL (the balancer itself)', () => {
    expect(parseProxyHeader(Buffer.concat([v2(1, 0x11, ipv4Body), Buffer.from('rest')]))).toEqual({ kind: 'complete', length: 28, source: { address: '192.0.2.7', port: 40000 } });
    const ipv6 = Buffer.alloc(36 + 5);
    ipv6.writeUInt16BE(0x2001, 0);
    ipv6.writeUInt16BE(0x0db8, 2);
    ipv6.writeUInt16BE(7, 14);
    ipv6.writeUInt16BE(5555, 32);
    expect(parseProxyHeader(v2(1, 0x21, ipv6))).toEqual({ kind: 'complete', length: 16 + 41, source: { address: '2001:db8::7', port: 5555 } });
    const mapped = Buffer.alloc(36);
    mapped.writeUInt16BE(0xffff, 10);
    mapped.set([10, 1, 2, 3], 12);
    expect(parseProxyHeader(v2(1, 0x21, mapped))).toMatchObject({ source: { address: '10.1.2.3' } });
    expect(parseProxyHeader(v2(0, 0x00, Buffer.alloc(0)))).toEqual({ kind: 'complete', length: 16 });
  });
});
