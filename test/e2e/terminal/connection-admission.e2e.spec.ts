import * as net from 'node:net';
import { Field } from '@switch/iso8583';
import { echo } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { startTerminalTestApp, until, type TerminalTestApp } from './support/terminal-test-app';

/** A raw socket and whether the server has closed it. */
async function rawConnect(port: number): Promise<{ socket: net.Socket; isClosed: () => boolean }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  let closed = false;
  socket.once('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, isClosed: () => closed };
}

const refusalLines = (t: TerminalTestApp) => t.logs.filter((l) => l.msg === 'terminal connections refused');

describe('connection admission over real sockets', () => {
  describe('connections per source address', () => {
    let t: TerminalTestApp;
    const clients: PosClient[] = [];
    beforeAll(async () => {
      t = await startTerminalTestApp({ maxConnectionsPerSource: 2, refusalLogIntervalMs: 300, firstFrameTimeoutMs: 30_000 });
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await t.close();
    });

    it('refuses connections past the cap from one address, logs them in one summary line, and serves the ones held', async () => {
      for (let i = 0; i < 2; i++) clients.push(await PosClient.connect('127.0.0.1', t.asciiPort, { dialect: 'ascii', timeoutMs: 5_000 }));
      const extra = await Promise.all(Array.from({ length: 5 }, () => rawConnect(t.asciiPort)));
      await until(() => extra.every((c) => c.isClosed()), 'connections past the cap closed');
      expect(t.strategy.stats()).toMatchObject({ connections: 2, refusedConnections: 5 });
      for (const [i, client] of clients.entries()) {
        const reply = await client.send(echo({ terminalId: 'TERM0001', stan: 600 + i }));
        expect(reply.get(Field.ResponseCode)).toBe('00');
      }
      await until(() => refusalLines(t).length > 0, 'the refusal summary');
      expect(refusalLines(t)).toHaveLength(1);
      expect(refusalLines(t)[0].obj).toMatchObject({ refused: { 'source-limit': 5 }, total: 5, sources: { '127.0.0.1': 5 } });
      expect(t.logs.filter((l) => /refused/.test(l.msg))).toHaveLength(1);
    });

    it('frees the slot when a held connection closes', async () => {
      await clients.pop()!.close();
      await until(() => t.strategy.stats().connections === 1, 'one connection left');
      const again = await PosClient.connect('127.0.0.1', t.asciiPort, { dialect: 'ascii', timeoutMs: 5_000 });
      clients.push(again);
      expect((await again.send(echo({ terminalId: 'TERM0001', stan: 610 }))).get(Field.ResponseCode)).toBe('00');
    });
  });

  describe('a valid first frame within the first-frame timeout', () => {
    let t: TerminalTestApp;
    beforeAll(async () => {
      t = await startTerminalTestApp({ firstFrameTimeoutMs: 400, refusalLogIntervalMs: 200, idleTimeoutMs: 30_000 });
    });
    afterAll(async () => {
      await t.close();
    });

    it('closes connections that send nothing, half a frame, or only requests from unknown terminals; keeps one that proved itself', async () => {
      const silent = await rawConnect(t.asciiPort);
      const partial = await rawConnect(t.asciiPort);
      partial.socket.write(Buffer.from([0x00, 0x40, 0x30, 0x38]));
      const stranger = await PosClient.connect('127.0.0.1', t.asciiPort, { dialect: 'ascii', timeoutMs: 5_000 });
      expect((await stranger.send(echo({ terminalId: 'NOBODY01', stan: 700 }))).get(Field.ResponseCode)).toBe('58');
      const terminal = await PosClient.connect('127.0.0.1', t.asciiPort, { dialect: 'ascii', timeoutMs: 5_000 });
      expect((await terminal.send(echo({ terminalId: 'TERM0001', stan: 701 }))).get(Field.ResponseCode)).toBe('00');

      await until(() => silent.isClosed() && partial.isClosed() && t.strategy.stats().connections === 1, 'unproven connections closed', 5_000);
      expect((await terminal.send(echo({ terminalId: 'TERM0001', stan: 702 }))).get(Field.ResponseCode)).toBe('00');
      await until(() => refusalLines(t).length > 0, 'the refusal summary');
      expect(refusalLines(t)[0].obj).toMatchObject({ refused: { 'no-valid-first-frame': 3 }, total: 3 });
      expect(t.logs.some((l) => l.msg === 'closing terminal connection')).toBe(false);
      await Promise.all([stranger.close(), terminal.close()]);
    });
  });
});
