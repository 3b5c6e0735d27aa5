import * as net from 'node:net';
import { Field } from '@switch/iso8583';
import { echo, purchase } from '../../../tools/pos/messages';
import { PosClient, PosConnectionClosedError } from '../../../tools/pos/pos-client';
import { TestProcessing, startTerminalTestApp, until, type TerminalTestApp } from './support/terminal-test-app';

const gatedPurchase = (stan: number) =>
  purchase({ terminalId: 'TERM0001', merchantId: 'MERCHANT0000001', stan, amountMinor: 500, paymentCode: '281234567890123456' }).set(
    Field.ProcessingCode,
    TestProcessing.Gated,
  );

function rawConnect(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** True when a connection attempt is refused outright or closed by the server straight away. */
async function connectionRefused(port: number): Promise<boolean> {
  try {
    const { closed } = await rawConnect(port);
    await closed;
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
}

describe('ISO listener limits', () => {
  describe('frame size, idle timeout, connection limit', () => {
    let t: TerminalTestApp;
    const clients: PosClient[] = [];
    beforeAll(async () => {
      t = await startTerminalTestApp({ maxFrameBytes: 256, idleTimeoutMs: 150, maxConnections: 3 });
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await until(() => t.strategy.stats().connections === 0, 'all connections closed');
    });
    afterAll(async () => {
      await t.close();
    });

    it('closes a connection whose frame header announces more than maxFrameBytes', async () => {
      const { socket, closed } = await rawConnect(t.asciiPort);
      const header = Buffer.alloc(2);
      header.writeUInt16BE(257);
      socket.write(Buffer.concat([header, Buffer.alloc(10, 0x30)]));
      await closed;
      expect(t.logs.some((l) => l.msg === 'closing terminal connection' && JSON.stringify(l.obj).includes('FRAME_TOO_LARGE'))).toBe(true);
    });

    it('closes an idle connection, and keeps a busy one open past the idle timeout', async () => {
      const busy = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
      clients.push(busy);
      const pending = busy.send(gatedPurchase(301));
      await until(() => t.gates.find('000301') !== undefined, 'gated request');
      // Opened after the busy one's last traffic, so its idle timer expires later than the busy one's.
      const idle = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
      clients.push(idle);
      await idle.closed;
      // The idle one is gone; the one waiting on its handler is still open, answers echoes and gets its reply.
      expect(busy.isOpen).toBe(true);
      expect((await busy.send(echo({ terminalId: 'TERM0001', stan: 303 }))).get(Field.ResponseCode)).toBe('00');
      t.gates.open('000301');
      expect((await pending).get(Field.ResponseCode)).toBe('00');
    });

    it('refuses connections beyond maxConnections and keeps serving the ones it has', async () => {
      const kept = await Promise.all([1, 2, 3].map(() => PosClient.connect('127.0.0.1', t.asciiPort, 'ascii')));
      clients.push(...kept);
      await until(() => t.strategy.stats().connections === 3, 'three accepted connections');
      const refusedBefore = t.strategy.stats().refusedConnections;
      const extra = await rawConnect(t.nacPort);
      await extra.closed;
      expect(t.strategy.stats().refusedConnections).toBe(refusedBefore + 1);
      const reply = await kept[2].send(echo({ terminalId: 'TERM0001', stan: 302 }));
      expect(reply.get(Field.ResponseCode)).toBe('00');
    });
  });

  describe('back-pressure', () => {
    let t: TerminalTestApp;
    beforeAll(async () => {
      t = await startTerminalTestApp({ maxInFlightPerConnection: 2 });
    });
    afterAll(async () => {
      await t.close();
    });

    it('stops reading a connection at its in-flight cap and resumes when a reply is written', async () => {
      const client = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
      const replies = [311, 312, 313].map((stan) => client.send(gatedPurchase(stan)));
      await until(() => {
        const s = t.strategy.stats();
        return s.inFlight === 2 && s.queuedFrames === 1;
      }, 'two in flight and one waiting');
      expect(t.gates.find('000313')).toBeUndefined();
      t.gates.open('000311');
      await until(() => t.gates.find('000313') !== undefined, 'third request dispatched after a slot freed');
      t.gates.open('000312');
      t.gates.open('000313');
      const codes = (await Promise.all(replies)).map((r) => r.get(Field.ResponseCode));
      expect(codes).toEqual(['00', '00', '00']);
      await client.close();
    });
  });

  describe('graceful close', () => {
    it('stops accepting, answers in-flight requests, then closes the sockets', async () => {
      const t = await startTerminalTestApp({ shutdownGraceMs: 5_000 });
      const client = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
      const pending = client.send(gatedPurchase(321));
      await until(() => t.gates.find('000321') !== undefined, 'gated request');
      let closeDone = false;
      let status = '';
      const subscription = t.strategy.status.subscribe((s) => (status = s));
      const closing = t.close().then(() => (closeDone = true));
      await until(() => status === 'closing', 'close started');
      subscription.unsubscribe();
      // New connections are no longer accepted while in-flight work finishes.
      expect(await connectionRefused(t.asciiPort)).toBe(true);
      expect(closeDone).toBe(false);
      t.gates.open('000321');
      expect((await pending).get(Field.ResponseCode)).toBe('00');
      await closing;
      await client.closed;
      expect(t.strategy.stats().connections).toBe(0);
    });

    it('closes after shutdownGraceMs even when a handler never answers', async () => {
      const t = await startTerminalTestApp({ shutdownGraceMs: 50 });
      const client = await PosClient.connect('127.0.0.1', t.asciiPort, 'ascii');
      const pending = client.send(gatedPurchase(322)).catch((err: unknown) => err);
      await until(() => t.gates.find('000322') !== undefined, 'gated request');
      await t.close();
      expect(await pending).toBeInstanceOf(PosConnectionClosedError);
      expect(await t.gates.find('000322')!.delivery).toBe(false);
    });
  });
});
