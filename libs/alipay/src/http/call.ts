import type { Connection, ExchangeOutcome } from './connection';
import type { ConnectionPool, ConnectionWaiter } from './pool';
import type { ParsedResponse } from './response-parser';
import { TransportError } from './transport-error';

/**
 * One POST under a hard deadline covering the wait for a socket, connect, send and the whole answer, so a
 * stalled Alipay never holds a terminal beyond `timeoutMs`. On timeout the connection is destroyed, never
 * pooled: a late answer must not be read as the next request's.
 */
export class PostCall implements ConnectionWaiter {
  fresh = false;
  private connection: Connection | undefined;
  private settled = false;
  private readonly deadline: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly payload: string | Buffer,
    private readonly timeoutMs: number,
    private readonly resolve: (response: ParsedResponse) => void,
    private readonly reject: (error: TransportError) => void,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.timer = setTimeout(this.onTimeout, timeoutMs);
    pool.acquire(this);
  }

  take(connection: Connection): void {
    if (this.settled) {
      this.pool.release(connection);
      return;
    }
    this.connection = connection;
    connection.send(this.payload, this.onOutcome);
  }

  refuse(reason: string): void {
    this.fail(new TransportError('network', reason));
  }

  private readonly onOutcome = (outcome: ExchangeOutcome): void => {
    const connection = this.connection as Connection;
    this.connection = undefined;
    if (this.settled) return;
    if (outcome.ok) {
      this.settled = true;
      clearTimeout(this.timer);
      this.pool.release(connection);
      this.resolve(outcome.response);
      return;
    }
    // A kept-alive socket the server closed just as this request went out: the server never saw it. Sent once
    // more on a fresh socket (Alipay's calls are idempotent by their request id in any case); never a third time.
    if (outcome.unsent && !this.fresh && Date.now() < this.deadline) {
      this.fresh = true;
      this.pool.acquire(this);
      return;
    }
    this.fail(new TransportError('network', outcome.reason));
  };

  private readonly onTimeout = (): void => {
    if (this.settled) return;
    this.settled = true;
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) connection.destroy('timeout');
    else this.pool.cancel(this);
    this.reject(new TransportError('timeout', `no answer within ${this.timeoutMs} ms`));
  };

  private fail(error: TransportError): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.reject(error);
  }
}
