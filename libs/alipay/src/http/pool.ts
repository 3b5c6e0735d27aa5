import type { Socket } from 'node:net';
import { Connection } from './connection';

/** Below the 5 s keep-alive timeout common to servers, so we close an idle socket before the server does. */
export const IDLE_TIMEOUT_MS = 4_000;
const SWEEP_INTERVAL_MS = 250;

/** Someone waiting for a connection: a post, or its one resend. */
export interface ConnectionWaiter {
  /** Wants a socket that never carried a request (the resend after a stale kept-alive one). */
  readonly fresh: boolean;
  take(connection: Connection): void;
  refuse(reason: string): void;
}

/**
 * The kept-alive connections to one origin: idle ones on a LIFO stack (the most recently used is the least
 * likely to have been closed by the server), at most `maxSockets` open, callers queued FIFO when all are busy.
 */
export class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly open = new Set<Connection>();
  private readonly waiters: ConnectionWaiter[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly connect: () => Socket,
    private readonly maxSockets: number,
    private readonly idleTimeoutMs = IDLE_TIMEOUT_MS,
  ) {}

  /** Gives `waiter` a connection now, or as soon as one is free. */
  acquire(waiter: ConnectionWaiter): void {
    if (!waiter.fresh && this.idle.length > 0) {
      const connection = this.idle.pop() as Connection;
      connection.idle = false;
      waiter.take(connection);
      return;
    }
    // A fresh socket is wanted but the bound is reached with idle ones: the oldest idle one makes room.
    if (this.open.size >= this.maxSockets && this.idle.length > 0) this.dropIdle(this.idle[0]);
    if (this.open.size < this.maxSockets) this.openFor(waiter);
    else this.waiters.push(waiter);
  }

  /** A waiter that gave up (its deadline passed) leaves the queue. */
  cancel(waiter: ConnectionWaiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at !== -1) this.waiters.splice(at, 1);
  }

  /** Takes back a connection whose exchange completed and that may carry another. */
  release(connection: Connection): void {
    if (connection.isClosed) return;
    const next = this.waiters[0];
    if (next !== undefined) {
      // Destroying it frees a place, which onClosed gives to this waiter as a new socket.
      if (next.fresh) connection.destroy();
      else {
        this.waiters.shift();
        next.take(connection);
      }
      return;
    }
    connection.idle = true;
    connection.idleSince = Date.now();
    this.idle.push(connection);
    if (this.sweeper === undefined) {
      this.sweeper = setInterval(this.sweep, SWEEP_INTERVAL_MS);
      // Idle sockets must never keep the process alive.
      this.sweeper.unref();
    }
  }

  /** Destroys every socket and refuses every waiter (shutdown, tests). */
  close(reason: string): void {
    for (const waiter of this.waiters.splice(0)) waiter.refuse(reason);
    for (const connection of [...this.open]) connection.destroy(reason);
    this.stopSweeping();
  }

  /** Open sockets, idle and busy (tests, metrics). */
  get size(): number {
    return this.open.size;
  }

  private openFor(waiter: ConnectionWaiter): void {
    let socket: Socket;
    try {
      socket = this.connect();
    } catch (err) {
      waiter.refuse(err instanceof Error ? err.message : String(err));
      return;
    }
    const connection = new Connection(socket, this.onClosed);
    this.open.add(connection);
    waiter.take(connection);
  }

  private readonly onClosed = (connection: Connection): void => {
    this.open.delete(connection);
    if (connection.idle) {
      connection.idle = false;
      const at = this.idle.indexOf(connection);
      if (at !== -1) this.idle.splice(at, 1);
    }
    const next = this.waiters.shift();
    if (next !== undefined) this.openFor(next);
  };

  private dropIdle(connection: Connection): void {
    connection.idle = false;
    this.idle.splice(this.idle.indexOf(connection), 1);
    connection.destroy();
  }

  /** The stack's bottom holds the longest idle; close those idle past the timeout. */
  private readonly sweep = (): void => {
    const cutoff = Date.now() - this.idleTimeoutMs;
    while (this.idle.length > 0 && this.idle[0].idleSince <= cutoff) this.dropIdle(this.idle[0]);
    if (this.idle.length === 0) this.stopSweeping();
  };

  private stopSweeping(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
