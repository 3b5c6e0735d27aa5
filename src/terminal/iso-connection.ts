import type { Socket } from 'node:net';
import { LengthPrefixedFramer, type Dialect } from '@switch/iso8583';
import type { IsoLogger } from './iso-logger';
import type { PeerAddress } from './proxy-header';

/** What the request pipeline needs from a connection: where to write a reply and how to give up on it. */
export interface ReplyChannel {
  readonly id: string;
  readonly dialect: Dialect;
  /** The peer's IP address, checked against a terminal's allowed source networks. */
  readonly remoteAddress: string | undefined;
  /** Resolves true once the frame reached the socket, false when the connection is gone or the write failed. */
  write(frame: Buffer): Promise<boolean>;
  close(reason: string): void;
  /**
   * Calls `listener` once when the connection closes (at once if it already has): work for it can stop,
   * nothing more can be delivered. Returns the unsubscribe function.
   */
  onClose(listener: () => void): () => void;
  /** The terminal a request on this link came from passed its checks (for ops' view of who is connected). */
  noteTerminal?(terminal: { terminalId: string; merchantId: string }, atMs: number): void;
}

/** Who is on a link, as the admin API's sessions view shows it. */
export interface IsoConnectionInfo {
  connectionId: string;
  dialect: string;
  remoteAddress: string;
  connectedAt: Date;
  terminalId?: string;
  merchantId?: string;
  lastMessageAt?: Date;
}

export interface IsoConnectionLimits {
  maxFrameBytes: number;
  idleTimeoutMs: number;
  maxInFlightPerConnection: number;
}

/**
 * Processes one frame body; settles when its reply was written or dropped. Must not reject. `arrivedAtMs` is
 * when the frame's last bytes were read off the socket: the terminal's timer started then, not when a slot
 * freed up for it.
 */
export type FrameProcessor = (payload: Buffer, channel: ReplyChannel, arrivedAtMs: number) => Promise<void>;

/** A frame read but not yet started (the in-flight cap is reached), with the time it was read. */
interface QueuedFrame {
  readonly payload: Buffer;
  readonly arrivedAtMs: number;
}

export interface IsoConnectionStats {
  inFlight: number;
  queuedFrames: number;
  bufferedBytes: number;
}

/**
 * One terminal link (a jPOS "channel"): length-prefixed framing, several requests in flight with replies in
 * completion order, and back-pressure. Reading stops while the in-flight cap is reached, while frames wait
 * for a slot, or while the kernel send buffer is full ('drain' not yet seen), so one connection holds at most
 * one read chunk of frames plus one partial frame in memory.
 */
export class IsoConnection implements ReplyChannel {
  private readonly framer: LengthPrefixedFramer;
  private readonly queue: QueuedFrame[] = [];
  private inFlight = 0;
  private writeBlocked = false;
  private draining = false;
  private closed = false;
  private readonly idleTimer: NodeJS.Timeout;
  // Made on first use: most of a connection's life is idle, and 10,000 idle terminals add up.
  private idleWaiters: Array<() => void> | undefined;
  // A plain Set, not an AbortSignal: one subscription per request, and EventTarget costs show on the hot path.
  private closeListeners: Set<() => void> | undefined;
  private readonly connectedAtMs = Date.now();
  // Plain fields, set on every request: no allocation on the hot path.
  private terminalId: string | undefined;
  private merchantId = '';
  private lastMessageAtMs = 0;

  constructor(
    readonly id: string,
    readonly dialect: Dialect,
    private readonly socket: Socket,
    private readonly limits: IsoConnectionLimits,
    private readonly processFrame: FrameProcessor,
    private readonly logger: IsoLogger,
    private readonly onClosed: (connection: IsoConnection) => void,
    /** The terminal's address as a trusted load balancer's PROXY header gave it; else the socket's peer. */
    private readonly source?: PeerAddress,
  ) {
    this.framer = new LengthPrefixedFramer(limits.maxFrameBytes);
    this.idleTimer = setTimeout(() => this.onIdle(), limits.idleTimeoutMs);
    this.idleTimer.unref();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.updateFlow();
    });
    // 'error' is always followed by 'close'; listening to it keeps an ECONNRESET from crashing the process.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.logger.debug?.({ connectionId: id, code: err.code }, 'terminal connection error');
    });
    socket.on('close', () => this.handleSocketClose());
  }

  get remoteAddress(): string | undefined {
    return this.source ? this.source.address : this.socket.remoteAddress;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get stats(): IsoConnectionStats {
    return { inFlight: this.inFlight, queuedFrames: this.queue.length, bufferedBytes: this.framer.bufferedBytes };
  }

  noteTerminal(terminal: { terminalId: string; merchantId: string }, atMs: number): void {
    this.terminalId = terminal.terminalId;
    this.merchantId = terminal.merchantId;
    this.lastMessageAtMs = atMs;
  }

  get info(): IsoConnectionInfo {
    return {
      connectionId: this.id,
      dialect: this.dialect.name,
      remoteAddress: `${this.remoteAddress ?? '?'}:${(this.source ? this.source.port : this.socket.remotePort) ?? '?'}`,
      connectedAt: new Date(this.connectedAtMs),
      ...(this.terminalId !== undefined
        ? { terminalId: this.terminalId, merchantId: this.merchantId, lastMessageAt: new Date(this.lastMessageAtMs) }
        : {}),
    };
  }

  write(frame: Buffer): Promise<boolean> {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return Promise.resolve(false);
    this.idleTimer.refresh();
    return new Promise<boolean>((resolve) => {
      try {
        const flushed = this.socket.write(frame, (err) => resolve(err == null));
        if (!flushed) {
          this.writeBlocked = true;
          this.updateFlow();
        }
      } catch {
        resolve(false);
      }
    });
  }

  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    const listeners = (this.closeListeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.logger.info({ connectionId: this.id, reason }, 'closing terminal connection');
    this.socket.destroy();
  }

  /**
   * Graceful stop: read nothing more, drop frames not yet started, let in-flight replies finish for up to
   * `graceMs`, then close. Resolves once the socket is closed.
   */
  async drain(graceMs: number): Promise<void> {
    if (this.closed) return;
    this.draining = true;
    this.queue.length = 0;
    this.socket.pause();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        (this.idleWaiters ??= []).push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      // end() lets written replies flush; destroy() after the grace bounds how long a slow reader can hold us.
      this.socket.end(() => this.socket.destroy());
      const timer = setTimeout(() => this.socket.destroy(), Math.max(graceMs, 10));
      timer.unref();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.draining || this.closed) return;
    this.idleTimer.refresh();
    // One clock read per chunk, not per connection: all frames completed by this chunk arrived now.
    const arrivedAtMs = Date.now();
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (err) {
      this.close(errorCode(err) ?? 'framing error');
      return;
    }
    for (const payload of frames) this.queue.push({ payload, arrivedAtMs });
    this.pump();
  }

  private pump(): void {
    while (!this.draining && this.queue.length > 0 && this.inFlight < this.limits.maxInFlightPerConnection) {
      const frame = this.queue.shift()!;
      this.inFlight += 1;
      this.processFrame(frame.payload, this, frame.arrivedAtMs)
        .catch((err: unknown) => {
          // The processor promises not to reject; if it does, log and keep the connection alive.
          this.logger.error({ connectionId: this.id, err: errorSummary(err) }, 'frame processor failed');
        })
        .finally(() => this.onFrameDone());
    }
    this.updateFlow();
  }

  private onFrameDone(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.idleWaiters) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
    if (!this.closed) this.pump();
  }

  private updateFlow(): void {
    if (this.closed) return;
    const mustWait =
      this.draining || this.writeBlocked || this.queue.length > 0 || this.inFlight >= this.limits.maxInFlightPerConnection;
    if (mustWait) {
      if (!this.socket.isPaused()) this.socket.pause();
    } else if (this.socket.isPaused()) {
      this.socket.resume();
    }
  }

  private onIdle(): void {
    if (this.closed) return;
    // A request waiting on Alipay is not idleness: the terminal is waiting for us. But replies sitting unsent
    // for a whole idle period mean the terminal stopped reading; only closing frees what waits on them.
    const stalledWrites = this.socket.writableLength > 0;
    if ((this.inFlight > 0 || this.queue.length > 0) && !stalledWrites) {
      this.idleTimer.refresh();
      return;
    }
    this.close(stalledWrites ? 'terminal stopped reading' : 'idle timeout');
  }

  private handleSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.queue.length = 0;
    const listeners = this.closeListeners;
    this.closeListeners = undefined;
    if (listeners) for (const listener of listeners) listener();
    this.onClosed(this);
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function errorSummary(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) return { name: err.name, code: errorCode(err), message: err.message };
  return { name: typeof err, message: 'non-error thrown' };
}
