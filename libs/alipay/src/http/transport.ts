import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { PostCall } from './call';
import { ConnectionPool } from './pool';
import { requestLine, requestPayload } from './request';

export { TransportError, type TransportFailure } from './transport-error';

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
}

/** Knobs for tests; production callers use the defaults. */
export interface TransportOptions {
  /** Trusted CA certificates instead of the default store (a test server's self-signed certificate). */
  ca?: string | Buffer;
  /** Open sockets per origin, idle and busy. */
  maxSockets?: number;
}

const MAX_SOCKETS = 256;

/** Where a POST goes, taken from its URL once per URL instead of once per call. */
interface Target {
  pool: ConnectionPool;
  line: string;
}

/**
 * Alipay over HTTP/1.1 with kept-alive connections, on plain sockets: node:http's client machinery (agent,
 * request and message streams, emitters) cost a sixth of the switch's CPU per purchase. One pool per origin,
 * each call under a hard deadline (see PostCall), head and body in one write.
 */
export class HttpTransport {
  private readonly targets = new Map<string, Target>();
  private readonly pools = new Map<string, ConnectionPool>();

  constructor(
    private readonly timeoutMs: number,
    private readonly options: TransportOptions = {},
  ) {}

  post(url: URL, options: PostOptions): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      // Inside the executor, so a bad header rejects the call like any other failure instead of throwing.
      const target = this.targetOf(url);
      const payload = requestPayload(target.line, options.headers, options.body);
      new PostCall(target.pool, payload, this.timeoutMs, (r) => resolve({ status: r.status, headers: r.headers, body: r.body }), reject);
    });
  }

  /** Destroys every socket and fails calls waiting for one (tests, shutdown). */
  close(): void {
    for (const pool of this.pools.values()) pool.close('transport closed');
  }

  private targetOf(url: URL): Target {
    let target = this.targets.get(url.href);
    if (target === undefined) {
      target = { pool: this.poolOf(url), line: requestLine(url.pathname + url.search, url.host) };
      // A channel posts to a handful of URLs; the bound only guards against a caller that varies them.
      if (this.targets.size >= 64) this.targets.clear();
      this.targets.set(url.href, target);
    }
    return target;
  }

  private poolOf(url: URL): ConnectionPool {
    const origin = url.origin;
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new ConnectionPool(this.connector(url), this.options.maxSockets ?? MAX_SOCKETS);
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private connector(url: URL): () => Socket {
    // Brackets of an IPv6 literal are URL syntax, not part of the host name.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (url.protocol !== 'https:') {
      const port = Number(url.port || 80);
      return () => connectTcp({ host, port });
    }
    const port = Number(url.port || 443);
    const ca = this.options.ca;
    // SNI names a host, never an address (RFC 6066).
    const servername = isIP(host) === 0 ? host : undefined;
    // The last TLS session is offered again, so a new socket resumes instead of a full handshake (as https.Agent does).
    let session: Buffer | undefined;
    return () => {
      const socket = connectTls({ host, port, ALPNProtocols: ['http/1.1'], ...(servername ? { servername } : {}), ...(ca ? { ca } : {}), ...(session ? { session } : {}) });
      socket.on('session', (ticket: Buffer) => (session = ticket));
      // A session that ended in an error is not offered again.
      socket.once('error', () => (session = undefined));
      return socket;
    };
  }
}

/** Case-insensitive header lookup for headers given by callers (notifications). */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
