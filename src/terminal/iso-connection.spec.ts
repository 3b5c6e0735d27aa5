import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Field, IsoMessage, createDialect } from '@switch/iso8583';
import { IsoConnection, type ReplyChannel } from './iso-connection';
import { silentIsoLogger } from './iso-logger';

/** The parts of net.Socket the connection uses, with a send buffer the test fills and drains by hand. */
class FakeSocket extends EventEmitter {
  paused = false;
  destroyed = false;
  writable = true;
  writableLength = 0;
  acceptWrites = true;
  readonly pendingCallbacks: Array<(err?: Error | null) => void> = [];
  setNoDelay(): this {
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  isPaused(): boolean {
    return this.paused;
  }
  write(frame: Buffer, callback: (err?: Error | null) => void): boolean {
    this.writableLength += frame.length;
    this.pendingCallbacks.push(callback);
    return this.acceptWrites;
  }
  /** The kernel took everything: callbacks fire, then 'drain'. */
  flush(): void {
    this.writableLength = 0;
    for (const callback of this.pendingCallbacks.splice(0)) callback(null);
    this.emit('drain');
  }
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.writable = false;
    for (const callback of this.pendingCallbacks.splice(0)) callback(new Error('destroyed'));
    this.emit('close');
    return this;
  }
  end(callback?: () => void): this {
    callback?.();
    return this;
  }
}

const dialect = createDialect('ascii');
const frameFor = (stan: string): Buffer =>
  dialect.encodeFrame(new IsoMessage('0800', { [Field.Stan]: stan, [Field.TerminalId]: 'TERM0001', [Field.NetworkManagementCode]: '301' }));

function open(options: { idleTimeoutMs?: number; maxInFlight?: number } = {}) {
  const socket = new FakeSocket();
  const deliveries: Array<Promise<boolean>> = [];
  let closed = false;
  const connection = new IsoConnection(
    'c-1',
    dialect,
    socket as unknown as Socket,
    { maxFrameBytes: 512, idleTimeoutMs: options.idleTimeoutMs ?? 60_000, maxInFlightPerConnection: options.maxInFlight ?? 4 },
    // Echo each frame straight back.
    async (payload: Buffer, channel: ReplyChannel) => {
      const header = Buffer.alloc(2);
      header.writeUInt16BE(payload.length);
      const delivered = channel.write(Buffer.concat([header, payload]));
      deliveries.push(delivered);
      await delivered;
    },
    silentIsoLogger,
    () => (closed = true),
  );
  return { socket, connection, deliveries, isClosed: () => closed };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('IsoConnection', () => {
  it('pauses reading while the send buffer is full and resumes on drain', async () => {
    const { socket, connection, deliveries } = open();
    socket.acceptWrites = false;
    socket.emit('data', frameFor('000001'));
    await turn();
    expect(deliveries).toHaveLength(1);
    expect(socket.paused).toBe(true);
    socket.acceptWrites = true;
    socket.flush();
    await expect(deliveries[0]).resolves.toBe(true);
    await turn();
    expect(socket.paused).toBe(false);
    expect(connection.stats.inFlight).toBe(0);
    connection.close('test over');
  });

  it('handles frames split across chunks and several frames in one chunk', async () => {
    const { socket, connection, deliveries } = open();
    const bytes = Buffer.concat([frameFor('000001'), frameFor('000002'), frameFor('000003')]);
    socket.emit('data', bytes.subarray(0, 5));
    socket.emit('data', bytes.subarray(5, 60));
    socket.emit('data', bytes.subarray(60));
    socket.flush();
    await turn();
    expect(deliveries).toHaveLength(3);
    connection.close('test over');
  });

  it('hands a queued frame the time it was read, not the time a slot freed for it', async () => {
    const socket = new FakeSocket();
    const arrivals: number[] = [];
    const releases: Array<() => void> = [];
    let clock = 1_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const connection = new IsoConnection(
        'c-2',
        dialect,
        socket as unknown as Socket,
        { maxFrameBytes: 512, idleTimeoutMs: 60_000, maxInFlightPerConnection: 1 },
        (_payload, _channel, arrivedAtMs) => {
          arrivals.push(arrivedAtMs);
          return new Promise<void>((resolve) => releases.push(resolve));
        },
        silentIsoLogger,
        () => undefined,
      );
      socket.emit('data', Buffer.concat([frameFor('000001'), frameFor('000002')]));
      expect(connection.stats.queuedFrames).toBe(1);
      clock = 1_800;
      releases[0]();
      await turn();
      expect(arrivals).toEqual([1_000, 1_000]);
      releases[1]();
      connection.close('test over');
    } finally {
      now.mockRestore();
    }
  });

  it('closes a connection whose replies sit unsent for a whole idle period, resolving them false', async () => {
    const { socket, deliveries, isClosed } = open({ idleTimeoutMs: 20 });
    socket.acceptWrites = false;
    socket.emit('data', frameFor('000001'));
    await turn();
    expect(socket.writableLength).toBeGreaterThan(0);
    await expect(deliveries[0]).resolves.toBe(false);
    expect(isClosed()).toBe(true);
  });

  it('closes on a frame larger than maxFrameBytes', () => {
    const { socket, isClosed } = open();
    socket.emit('data', Buffer.from([0x02, 0x01, 0x30]));
    expect(isClosed()).toBe(true);
  });

  it('tells close listeners once, and at once when already closed', () => {
    const { connection } = open();
    const calls: string[] = [];
    const unsubscribe = connection.onClose(() => calls.push('a'));
    connection.onClose(() => calls.push('b'));
    unsubscribe();
    connection.close('test');
    connection.onClose(() => calls.push('c'));
    expect(calls).toEqual(['b', 'c']);
  });
});
