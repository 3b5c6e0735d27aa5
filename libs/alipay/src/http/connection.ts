import type { Socket } from 'node:net';
import { MalformedResponse, ResponseParser, type ParsedResponse } from './response-parser';

/** How one request/response exchange on a connection ended. */
export type ExchangeOutcome =
  | { ok: true; response: ParsedResponse }
  | {
      ok: false;
      reason: string;
      /**
       * The request went out on a kept-alive socket that the server had already closed (reset, broken pipe,
       * or closed before a single byte of answer): the server never saw it, so it may be sent again.
       */
      unsent: boolean;
    };

/**
 * One socket carrying one request at a time. The connection reads the answer with a ResponseParser and
 * destroys itself whenever the socket cannot carry another exchange (or, idle, gets data or closes);
 * `onClosed` tells its pool exactly once.
 */
export class Connection {
  /** When it was last handed back to its pool (ms, Date.now), to close it before the server does. */
  idleSince = 0;
  /** Set by the pool while the connection sits in its idle stack. */
  idle = false;
  private closed = false;
  private exchanges = 0;
  private parser: ResponseParser | undefined;
  private settle: ((outcome: ExchangeOutcome) => void) | undefined;
  /** Whether the current exchange runs on a socket that carried an earlier one. */
  private reused = false;
  private answered = false;

  constructor(
    private readonly socket: Socket,
    /** Called once when the socket is done for, idle or busy, so the pool can drop it and count it out. */
    private readonly onClosed: (connection: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1_000);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes head and body in one go and calls `settle` once with the answer or the failure. */
  send(payload: string | Buffer, settle: (outcome: ExchangeOutcome) => void): void {
    this.reused = this.exchanges > 0;
    this.exchanges += 1;
    this.answered = false;
    this.parser = new ResponseParser();
    this.settle = settle;
    this.socket.write(payload);
  }

  /** Ends the socket now; an exchange still running fails with `reason`. */
  destroy(reason = 'connection destroyed'): void {
    this.fail(reason, false);
    this.shut();
  }

  private readonly onData = (chunk: Buffer): void => {
    const parser = this.parser;
    if (parser === undefined) {
      // Nothing was asked: a server talking out of turn on an idle socket is not to be trusted with a request.
      this.lostWhileIdle();
      return;
    }
    this.answered = true;
    let complete: boolean;
    try {
      complete = parser.feed(chunk);
    } catch (err) {
      this.destroy(err instanceof MalformedResponse ? err.reason : String(err));
      return;
    }
    if (complete) this.succeed(parser);
  };

  private readonly onEnd = (): void => {
    const parser = this.parser;
    if (parser === undefined) {
      this.lostWhileIdle();
      return;
    }
    if (!this.answered) {
      this.fail('ECONNRESET', true);
      return;
    }
    try {
      parser.end();
    } catch (err) {
      this.destroy(err instanceof MalformedResponse ? err.reason : String(err));
      return;
    }
    this.succeed(parser);
  };

  private readonly onError = (err: NodeJS.ErrnoException): void => {
    if (this.parser === undefined) {
      this.lostWhileIdle();
      return;
    }
    const code = err.code ?? err.message;
    this.fail(code, code === 'ECONNRESET' || code === 'EPIPE');
    this.shut();
  };

  private readonly onClose = (): void => {
    if (this.parser === undefined) {
      this.lostWhileIdle();
      return;
    }
    // Closed without 'end' or 'error' (destroyed under us): the answer, if any began, is cut short.
    this.fail(this.answered ? 'connection closed mid-response' : 'ECONNRESET', true);
    this.shut();
  };

  private succeed(parser: ResponseParser): void {
    const settle = this.settle;
    const response = parser.response();
    this.parser = undefined;
    this.settle = undefined;
    // An answer that came before our request finished going out (an early error) leaves the socket mid-request.
    if (!response.keepAlive || this.socket.writableLength > 0) this.shut();
    settle?.({ ok: true, response });
  }

  /** `mayBeUnsent`: the failure is of the kind a stale kept-alive socket shows; it counts only before any answer. */
  private fail(reason: string, mayBeUnsent: boolean): void {
    const settle = this.settle;
    if (settle === undefined) return;
    const unsent = mayBeUnsent && this.reused && !this.answered;
    this.parser = undefined;
    this.settle = undefined;
    this.shut();
    settle({ ok: false, reason, unsent });
  }

  private lostWhileIdle(): void {
    this.shut();
  }

  private shut(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onClosed(this);
  }
}
