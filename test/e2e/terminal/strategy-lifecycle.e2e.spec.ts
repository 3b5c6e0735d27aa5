import * as net from 'node:net';
import { InMemoryTerminalDirectory } from '../../../src/terminal/in-memory-terminal-directory';
import { silentIsoLogger } from '../../../src/terminal/iso-logger';
import { IsoServerStrategy, createIsoServerStrategy } from '../../../src/terminal/iso-server.strategy';
import { TerminalListenerConfigError, TerminalListenerStateError } from '../../../src/terminal/terminal.errors';
import { PosClient } from '../../../tools/pos/pos-client';
import { TEST_TERMINALS, until } from './support/terminal-test-app';

const directory = new InMemoryTerminalDirectory(TEST_TERMINALS);

describe('IsoServerStrategy lifecycle', () => {
  it('reports bound ports, exposes its servers, and emits connection events', async () => {
    const strategy = createIsoServerStrategy({ listeners: [{ dialect: 'ascii', host: '127.0.0.1', port: 0 }] }, directory, silentIsoLogger);
    expect(() => strategy.unwrap()).toThrow(TerminalListenerStateError);
    const events: string[] = [];
    strategy.on('connection', (_id, dialect) => events.push(`open ${dialect}`));
    strategy.on('disconnect', () => events.push('close'));
    expect(await new Promise<unknown>((resolve) => strategy.listen((err?: unknown) => resolve(err)))).toBeUndefined();
    const [bound] = strategy.addresses();
    expect(bound.port).toBeGreaterThan(0);
    expect(strategy.unwrap<net.Server[]>()).toHaveLength(1);
    const client = await PosClient.connect('127.0.0.1', bound.port, 'ascii');
    await until(() => events.length === 1, 'connection event');
    await client.close();
    await until(() => events.length === 2, 'disconnect event');
    expect(events).toEqual(['open ascii', 'close']);
    await strategy.close();
    await expect(strategy.start()).rejects.toBeInstanceOf(TerminalListenerStateError);
  });

  it('fails listen() when a port is taken, and leaves no listener bound', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const takenPort = (blocker.address() as net.AddressInfo).port;
    const strategy = new IsoServerStrategy(
      {
        listeners: [
          { dialect: 'nac-bcd', host: '127.0.0.1', port: 0 },
          { dialect: 'ascii', host: '127.0.0.1', port: takenPort },
        ],
      },
      directory,
      silentIsoLogger,
    );
    const error = await new Promise<unknown>((resolve) => strategy.listen((err?: unknown) => resolve(err)));
    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    expect(strategy.addresses()).toEqual([]);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('rejects bad options at construction', () => {
    expect(() => new IsoServerStrategy({ listeners: [], maxFrameBytes: 1 }, directory)).toThrow(TerminalListenerConfigError);
  });
});
