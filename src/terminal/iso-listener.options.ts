import type { DialectName } from '@switch/iso8583';
import type { SourceNetworks } from './source-networks';
import { TerminalListenerConfigError } from './terminal.errors';

export interface IsoListenerEndpoint {
  dialect: DialectName;
  host: string;
  /** 0 picks an ephemeral port; read the bound one from `IsoServerStrategy.addresses()`. */
  port: number;
}

export interface IsoListenerOptions {
  listeners: IsoListenerEndpoint[];
  /** Largest frame body accepted (after the 2-byte length); a bigger one closes the connection. */
  maxFrameBytes: number;
  /** A connection with no traffic and nothing in flight for this long is closed. */
  idleTimeoutMs: number;
  /** Connections open at once across all listeners of this process; more are refused. */
  maxConnections: number;
  /** Requests a connection may have in flight; at the cap the socket stops being read (back-pressure). */
  maxInFlightPerConnection: number;
  /** How long `close()` waits for in-flight replies before closing sockets. */
  shutdownGraceMs: number;
  /** Connections one source address may hold at once (raise it behind a NAT or a TLS terminator). */
  maxConnectionsPerSource: number;
  /** A connection that has sent no request passing the terminal checks this long after accept is closed. */
  firstFrameTimeoutMs: number;
  /** Refused connections are logged as one summary line per this interval. */
  refusalLogIntervalMs: number;
  /**
   * Load balancers whose connections start with a PROXY protocol header (v1 or v2) naming the terminal:
   * the terminal's address then counts for source caps and allowed networks. Absent: none.
   */
  proxyProtocolFrom?: SourceNetworks;
}

export const DEFAULT_ISO_LISTENER_OPTIONS: Omit<IsoListenerOptions, 'listeners'> = Object.freeze({
  maxFrameBytes: 4096,
  idleTimeoutMs: 300_000,
  maxConnections: 1024,
  maxInFlightPerConnection: 16,
  shutdownGraceMs: 10_000,
  maxConnectionsPerSource: 256,
  firstFrameTimeoutMs: 5_000,
  refusalLogIntervalMs: 10_000,
});

const DIALECTS: readonly DialectName[] = ['ascii', 'nac-bcd'];

/** Fills defaults and checks every value once, listing all problems in one error. */
export function resolveIsoListenerOptions(
  options: Partial<IsoListenerOptions> & Pick<IsoListenerOptions, 'listeners'>,
): IsoListenerOptions {
  const resolved: IsoListenerOptions = { ...DEFAULT_ISO_LISTENER_OPTIONS, ...definedOnly(options), listeners: options.listeners };
  const problems: string[] = [];
  if (resolved.listeners.length === 0) problems.push('listeners: at least one listener is required');
  resolved.listeners.forEach((listener, index) => {
    if (!DIALECTS.includes(listener.dialect)) problems.push(`listeners[${index}].dialect: unknown dialect "${String(listener.dialect)}"`);
    if (!Number.isInteger(listener.port) || listener.port < 0 || listener.port > 65535) {
      problems.push(`listeners[${index}].port: must be an integer 0..65535`);
    }
    if (typeof listener.host !== 'string' || listener.host.length === 0) problems.push(`listeners[${index}].host: required`);
  });
  // Below 64 bytes no real request fits; above 64 KiB the 2-byte length header cannot express it.
  checkIntegerRange(problems, 'maxFrameBytes', resolved.maxFrameBytes, 64, 65535);
  checkIntegerRange(problems, 'idleTimeoutMs', resolved.idleTimeoutMs, 1, 86_400_000);
  checkIntegerRange(problems, 'maxConnections', resolved.maxConnections, 1, 1_000_000);
  checkIntegerRange(problems, 'maxInFlightPerConnection', resolved.maxInFlightPerConnection, 1, 10_000);
  checkIntegerRange(problems, 'shutdownGraceMs', resolved.shutdownGraceMs, 0, 600_000);
  checkIntegerRange(problems, 'maxConnectionsPerSource', resolved.maxConnectionsPerSource, 1, 1_000_000);
  checkIntegerRange(problems, 'firstFrameTimeoutMs', resolved.firstFrameTimeoutMs, 1, 600_000);
  checkIntegerRange(problems, 'refusalLogIntervalMs', resolved.refusalLogIntervalMs, 1, 3_600_000);
  if (problems.length > 0) throw new TerminalListenerConfigError(problems);
  return resolved;
}

function checkIntegerRange(problems: string[], name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name}: must be an integer ${min}..${max}`);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
