import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { createDialect, type Dialect, type DialectName } from '@switch/iso8583';
import { IsoConnection, type FrameProcessor, type IsoConnectionInfo, type IsoConnectionStats } from './iso-connection';
import type { IsoContext } from './iso-context';
import {
  resolveIsoListenerOptions,
  type IsoListenerEndpoint,
  type IsoListenerOptions,
} from './iso-listener.options';
import { nestIsoLogger, type IsoLogger } from './iso-logger';
import { FirstFrameWatch } from './first-frame-watch';
import type { IsoReplyObserver } from './iso-reply-observer';
import { IsoRequestPipeline, type IsoHandler } from './iso-request-pipeline';
import type { PeerAddress } from './proxy-header';
import { readProxyHeader } from './proxy-header-reader';
import { RefusalLog, type RefusalReason } from './refusal-log';
import { SourceAdmission } from './source-admission';
import type { IsoRequest } from './iso-request';
import type { TerminalDirectory } from './terminal-directory.port';
import { TerminalListenerStateError } from './terminal.errors';

export const ISO_TRANSPORT = Symbol('ISO8583_TRANSPORT');

export interface BoundIsoListener {
  dialect: DialectName;
  host: string;
  port: number;
}

export interface IsoServerStats {
  connections: number;
  inFlight: number;
  queuedFrames: number;
  bufferedBytes: number;
  refusedConnections: number;
}

type IsoServerStatus = 'listening' | 'closing' | 'closed';

/** Events `on()` accepts: a connection opened (after the limit check) or closed. */
type IsoServerEvents = {
  connection: (connectionId: string, dialect: DialectName) => void;
  disconnect: (connectionId: string) => void;
};

/**
 * The ISO 8583 terminal gateway as a Nest custom transport: one `net` server per listener entry, each
 * connection an `IsoConnection`, each frame through the `IsoRequestPipeline` to the `@MessagePattern('iso.0200')`
 * style handlers registered with Nest.
 */
export class IsoServerStrategy
  extends Server<IsoServerEvents, IsoServerStatus>
  implements CustomTransportStrategy
{
  override readonly transportId = ISO_TRANSPORT;
  private readonly options: IsoListenerOptions;
  private readonly isoLogger: IsoLogger;
  private readonly pipeline: IsoRequestPipeline;
  private readonly admission: SourceAdmission;
  private readonly firstFrames: FirstFrameWatch;
  private readonly refusals: RefusalLog;
  private readonly servers: Array<{ endpoint: IsoListenerEndpoint; server: net.Server }> = [];
  private readonly connections = new Set<IsoConnection>();
  private readonly handlerCache = new Map<string, IsoHandler | undefined>();
  private readonly listeners: { [K in keyof IsoServerEvents]: Array<IsoServerEvents[K]> } = { connection: [], disconnect: [] };
  private refusedConnections = 0;
  private connectionSeq = 0;
  private readonly idPrefix = randomBytes(3).toString('hex');
  private state: 'idle' | 'listening' | 'closing' | 'closed' = 'idle';
  // Shared by every connection rather than a pair of closures each (10,000 idle terminals add up).
  private readonly processFrame: FrameProcessor = (payload, channel, arrivedAtMs) =>
    this.pipeline.process(payload, channel, arrivedAtMs);

  constructor(
    options: Partial<IsoListenerOptions> & Pick<IsoListenerOptions, 'listeners'>,
    directory: TerminalDirectory,
    logger?: IsoLogger,
    observer?: IsoReplyObserver,
  ) {
    super();
    this.options = resolveIsoListenerOptions(options);
    this.isoLogger = logger ?? nestIsoLogger();
    this.pipeline = new IsoRequestPipeline({
      directory,
      logger: this.isoLogger,
      resolveHandler: (pattern) => this.resolveHandler(pattern),
      onAccepted: (channel) => this.firstFrames.settle(channel.id),
      observer,
    });
    this.admission = new SourceAdmission(this.options);
    this.firstFrames = new FirstFrameWatch(this.options.firstFrameTimeoutMs);
    this.refusals = new RefusalLog(this.isoLogger, this.options.refusalLogIntervalMs);
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.start().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  /** Binds every listener; rejects (and unbinds what was bound) if one cannot listen. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new TerminalListenerStateError(`cannot start an ISO listener that is ${this.state}`);
    this.state = 'listening';
    try {
      for (const endpoint of this.options.listeners) {
        // One dialect per listener: its compiled spec is a few KiB, too much to build per connection.
        const dialect = createDialect(endpoint.dialect);
        const server = net.createServer((socket) => this.accept(socket, dialect));
        server.on('error', (err) => this.isoLogger.error({ dialect: endpoint.dialect, err: err.message }, 'ISO listener error'));
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(endpoint.port, endpoint.host, () => {
            server.off('error', reject);
            resolve();
          });
        });
        this.servers.push({ endpoint, server });
      }
    } catch (err) {
      await this.close();
      throw err;
    }
    this._status$.next('listening');
    for (const bound of this.addresses()) this.isoLogger.info(bound, 'ISO listener bound');
  }

  /** The actual host/port of each listener, in the order of `options.listeners` (port 0 resolved). */
  addresses(): BoundIsoListener[] {
    return this.servers.map(({ endpoint, server }) => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : endpoint.port;
      return { dialect: endpoint.dialect, host: endpoint.host, port };
    });
  }

  /** The bound port of the first listener of `dialect`. */
  portOf(dialect: DialectName): number {
    const bound = this.addresses().find((a) => a.dialect === dialect);
    if (!bound) throw new TerminalListenerStateError(`no ${dialect} listener is bound`);
    return bound.port;
  }

  stats(): IsoServerStats {
    const totals = { inFlight: 0, queuedFrames: 0, bufferedBytes: 0 };
    for (const connection of this.connections) {
      const s: IsoConnectionStats = connection.stats;
      totals.inFlight += s.inFlight;
      totals.queuedFrames += s.queuedFrames;
      totals.bufferedBytes += s.bufferedBytes;
    }
    return { connections: this.connections.size, refusedConnections: this.refusedConnections, ...totals };
  }

  /** The open links, each with the terminal last seen on it (admin API sessions); `info` is read when asked. */
  openLinks(): ReadonlyArray<{ readonly info: IsoConnectionInfo }> {
    return [...this.connections];
  }

  /** Closes every link the terminal was last seen on; returns how many. */
  disconnectTerminal(terminalId: string, reason: string): number {
    const links = [...this.connections].filter((c) => c.info.terminalId === terminalId);
    for (const link of links) link.close(reason);
    return links.length;
  }

  /**
   * Graceful stop: no new connections, no new frames read; in-flight requests get up to `shutdownGraceMs` to be
   * answered, then every socket is closed.
   */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this._status$.next('closing');
    const serversClosed = this.servers.map(
      ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    await Promise.all([...this.connections].map((c) => c.drain(this.options.shutdownGraceMs)));
    await Promise.all(serversClosed);
    this.servers.length = 0;
    this.refusals.flush();
    this.state = 'closed';
    this._status$.next('closed');
  }

  on<K extends keyof IsoServerEvents>(event: K, callback: IsoServerEvents[K]): void {
    this.listeners[event].push(callback);
  }

  /** The `net.Server` instances, one per listener entry. */
  unwrap<T = net.Server[]>(): T {
    if (this.servers.length === 0) {
      throw new TerminalListenerStateError('not listening: call listen() (or app.listen()) first');
    }
    return this.servers.map((s) => s.server) as T;
  }

  /** A connection from a trusted load balancer first says whom it carries (PROXY protocol); others are the terminal. */
  private accept(socket: net.Socket, dialect: Dialect): void {
    if (!this.options.proxyProtocolFrom?.allows(socket.remoteAddress)) return this.admit(socket, dialect, undefined);
    readProxyHeader(socket, this.options.firstFrameTimeoutMs).then(
      ({ source, rest }) => {
        if (rest.length > 0) socket.unshift(rest);
        this.admit(socket, dialect, source);
        socket.resume();
      },
      () => this.refuse(socket, 'bad-proxy-header', socket.remoteAddress ?? 'unknown'),
    );
  }

  private admit(socket: net.Socket, dialect: Dialect, source: PeerAddress | undefined): void {
    const remote = source?.address ?? socket.remoteAddress ?? 'unknown';
    const refusal = this.state !== 'listening' ? 'shutting-down' : this.admission.admit(remote);
    if (refusal !== undefined) {
      this.refuse(socket, refusal, remote);
      return;
    }
    this.connectionSeq += 1;
    const id = `${this.idPrefix}-${this.connectionSeq}`;
    const connection = new IsoConnection(
      id,
      dialect,
      socket,
      this.options,
      this.processFrame,
      this.isoLogger,
      (closed) => {
        this.admission.release(remote);
        this.firstFrames.settle(id);
        this.onConnectionClosed(closed);
      },
      source,
    );
    // Closed without a per-connection log line: the refusal summary counts it.
    this.firstFrames.watch(id, () => this.refuse(socket, 'no-valid-first-frame', remote));
    this.connections.add(connection);
    this.isoLogger.debug?.({ connectionId: id, dialect: dialect.name, remote: connection.info.remoteAddress }, 'terminal connected');
    this.emit('connection', id, dialect.name);
  }

  private refuse(socket: net.Socket, reason: RefusalReason, remote: string): void {
    this.refusedConnections += 1;
    this.refusals.count(reason, remote);
    socket.on('error', () => undefined);
    socket.destroy();
  }

  private onConnectionClosed(connection: IsoConnection): void {
    this.connections.delete(connection);
    this.isoLogger.debug?.({ connectionId: connection.id }, 'terminal disconnected');
    this.emit('disconnect', connection.id);
  }

  /**
   * The handler for a pattern, cached: Nest's getHandlerByPattern tries JSON.parse on every call, which costs a
   * thrown exception per request. Handlers are all registered before listen(), and patterns are `iso.` + 4
   * digits, so the cache is bounded.
   */
  private resolveHandler(pattern: string): IsoHandler | undefined {
    if (this.handlerCache.has(pattern)) return this.handlerCache.get(pattern);
    const handler = this.getHandlerByPattern(pattern);
    const invoke: IsoHandler | undefined = handler
      ? async (request: IsoRequest, context: IsoContext) => {
          const result: unknown = await handler(request, context);
          // Nest hands back an Observable for most handlers; a plain value or Promise is taken as it is.
          return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
        }
      : undefined;
    this.handlerCache.set(pattern, invoke);
    return invoke;
  }

  private emit<K extends keyof IsoServerEvents>(event: K, ...args: Parameters<IsoServerEvents[K]>): void {
    for (const callback of this.listeners[event]) {
      try {
        (callback as (...a: Parameters<IsoServerEvents[K]>) => void)(...args);
      } catch (err) {
        this.isoLogger.error({ event, err: err instanceof Error ? err.message : 'non-error thrown' }, 'ISO server event listener failed');
      }
    }
  }
}

/** What main.ts calls: `app.connectMicroservice({ strategy: createIsoServerStrategy(options, directory, logger) })`. */
export function createIsoServerStrategy(
  options: Partial<IsoListenerOptions> & Pick<IsoListenerOptions, 'listeners'>,
  directory: TerminalDirectory,
  logger?: IsoLogger,
  observer?: IsoReplyObserver,
): IsoServerStrategy {
  return new IsoServerStrategy(options, directory, logger, observer);
}
