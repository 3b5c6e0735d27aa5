import * as net from 'node:net';
import fc from 'fast-check';
import { Field, createDialect, type DialectName } from '@switch/iso8583';
import { echo, purchase, reversal, signOn } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { startTerminalTestApp, until, type TerminalTestApp } from './support/terminal-test-app';

/**
 * Random and mutated frames into a live listener over several connections. The process must survive, the
 * listener's buffers stay bounded, and a separate well-behaved terminal keeps getting echo replies throughout.
 * Bounded by run count only: every one of the RUNS cases runs, however loaded the machine (a time cap would
 * quietly turn into fewer cases). The listener's heap under hostile connections is measured by
 * `npm run bench:fuzz-heap`, not here.
 */

const MAX_FRAME_BYTES = 1024;
const FUZZ_CONNECTIONS = 4;
const RUNS = 600;

function validFrames(dialect: DialectName): Buffer[] {
  const d = createDialect(dialect);
  const terminalId = dialect === 'ascii' ? 'TERM0001' : 'TERM0002';
  const tpdu = dialect === 'nac-bcd' ? Buffer.from('6000010000', 'hex') : undefined;
  return [
    echo({ terminalId, stan: 1 }),
    signOn({ terminalId, stan: 2 }),
    purchase({ terminalId, merchantId: 'MERCHANT0000001', stan: 3, amountMinor: 1234, paymentCode: '281234567890123456' }),
    reversal({ terminalId, merchantId: 'MERCHANT0000001', originalStan: 3, amountMinor: 1234, advice: true }),
  ].map((m) => d.encodeFrame(m, { tpdu }));
}

/** One fuzz input: which listener, and the bytes (possibly several frames, possibly split) to write. */
const mutation = (frames: Buffer[]): fc.Arbitrary<Buffer> =>
  fc.oneof(
    // Pure noise, with or without a plausible length header.
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => {
      const header = Buffer.alloc(2);
      header.writeUInt16BE(bytes.length);
      return Buffer.concat([header, Buffer.from(bytes)]);
    }),
    // A valid frame with bytes flipped (length header kept or broken).
    fc
      .record({
        frame: fc.constantFrom(...frames),
        flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
        keepHeader: fc.boolean(),
      })
      .map(({ frame, flips, keepHeader }) => {
        const copy = Buffer.from(frame);
        for (const { at, value } of flips) copy[(keepHeader ? 2 : 0) + (at % (copy.length - (keepHeader ? 2 : 0)))] = value;
        return copy;
      }),
    // A valid body truncated or extended, with a header that matches the new length.
    fc
      .record({ frame: fc.constantFrom(...frames), cut: fc.nat(), extra: fc.uint8Array({ maxLength: 40 }) })
      .map(({ frame, cut, extra }) => {
        const body = Buffer.concat([frame.subarray(2, 2 + (cut % (frame.length - 2))), Buffer.from(extra)]);
        const header = Buffer.alloc(2);
        header.writeUInt16BE(body.length);
        return Buffer.concat([header, body]);
      }),
    // Several valid frames back to back, then an oversize header.
    fc.array(fc.constantFrom(...frames), { minLength: 1, maxLength: 5 }).map((list) => Buffer.concat([...list, Buffer.from([0xff, 0xff, 1, 2])])),
  );

class FuzzLink {
  private socket?: net.Socket;
  reconnects = 0;
  bytesReceived = 0;
  constructor(private readonly port: number) {}

  async write(bytes: Buffer): Promise<void> {
    if (!this.socket || this.socket.destroyed) {
      this.reconnects += 1;
      this.socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port: this.port }, () => resolve(s));
        s.on('error', () => undefined);
        s.once('error', reject);
        // Replies are read and discarded so the listener is never blocked by us.
        s.on('data', (chunk: Buffer) => (this.bytesReceived += chunk.length));
      });
    }
    this.socket.write(bytes);
  }

  close(): void {
    this.socket?.destroy();
  }
}

describe('ISO listener under fuzzed input', () => {
  let t: TerminalTestApp;
  beforeAll(async () => {
    t = await startTerminalTestApp({ maxFrameBytes: MAX_FRAME_BYTES, maxConnections: 32, maxInFlightPerConnection: 4 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('survives random and mutated frames while a well-behaved terminal keeps being answered', async () => {
    const observer = await PosClient.connect('127.0.0.1', t.asciiPort, { dialect: 'ascii', timeoutMs: 5_000 });
    const links = {
      ascii: Array.from({ length: FUZZ_CONNECTIONS }, () => new FuzzLink(t.asciiPort)),
      'nac-bcd': Array.from({ length: FUZZ_CONNECTIONS }, () => new FuzzLink(t.nacPort)),
    };
    const inputs = fc.record({
      dialect: fc.constantFrom<DialectName>('ascii', 'nac-bcd'),
      link: fc.nat({ max: FUZZ_CONNECTIONS - 1 }),
      chunks: fc.array(fc.nat({ max: 64 }), { maxLength: 3 }),
    });
    const frames = { ascii: validFrames('ascii'), 'nac-bcd': validFrames('nac-bcd') };
    let echoStan = 0;
    let peakBuffered = 0;
    let casesRun = 0;

    await fc.assert(
      fc.asyncProperty(
        inputs.chain((input) => mutation(frames[input.dialect]).map((bytes) => ({ ...input, bytes }))),
        async ({ dialect, link, chunks, bytes }) => {
          casesRun += 1;
          // Write in pieces at arbitrary cut points: framing must not depend on how TCP splits the stream.
          let offset = 0;
          for (const size of chunks) {
            await links[dialect][link].write(bytes.subarray(offset, offset + size));
            offset += size;
          }
          await links[dialect][link].write(bytes.subarray(offset));
          echoStan += 1;
          const reply = await observer.send(echo({ terminalId: 'TERM0001', stan: echoStan }));
          expect(reply.get(Field.ResponseCode)).toBe('00');
          const stats = t.strategy.stats();
          peakBuffered = Math.max(peakBuffered, stats.bufferedBytes);
          expect(stats.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_BYTES * stats.connections);
          expect(stats.inFlight).toBeLessThanOrEqual(4 * stats.connections);
        },
      ),
      { numRuns: RUNS, seed: 20250601 },
    );
    expect(casesRun).toBe(RUNS);

    expect(observer.isOpen).toBe(true);
    const allLinks = [...links.ascii, ...links['nac-bcd']];
    // The inputs reached both outcomes: replies (decoded or format errors) and closed connections.
    expect(allLinks.reduce((sum, l) => sum + l.bytesReceived, 0)).toBeGreaterThan(0);
    expect(allLinks.reduce((sum, l) => sum + l.reconnects, 0)).toBeGreaterThan(allLinks.length);
    for (const link of allLinks) link.close();
    await observer.close();
    await until(() => t.strategy.stats().connections === 0, 'every fuzz connection closed');
    const stats = t.strategy.stats();
    expect(stats.inFlight).toBe(0);
    expect(stats.bufferedBytes).toBe(0);
    expect(t.logs.some((l) => l.level === 'error' && l.msg === 'request pipeline failed')).toBe(false);
    expect(peakBuffered).toBeLessThanOrEqual(MAX_FRAME_BYTES * 32);
  }, 300_000);
});
