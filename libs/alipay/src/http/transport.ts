import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpResponse {
  status: number;
  /** Lower-cased names, as node:http gives them; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  body: string;
}

export type TransportFailure = 'timeout' | 'network';

/** The call did not produce an HTTP answer. `kind` says whether our timer fired or the link failed. */
export class TransportError extends Error {
  readonly code = 'ALIPAY.TRANSPORT';
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
}

/** Where a POST goes, taken from its URL once per URL instead of once per call. */
interface Target {
  hostname: string;
  port: string;
  path: string;
}

/**
 * One keep-alive agent per channel (chosen by URL scheme) and a hard per-call deadline covering connect,
 * send and the whole response body, so a stalled Alipay can never hold a terminal beyond `timeoutMs`.
 * The body goes as a string with its byte length, so node:http sends head and body in one write.
 */
export class HttpTransport {
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  private readonly send: typeof http.request;
  private readonly targets = new Map<string, Target>();

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.secure = new URL(baseUrl).protocol === 'https:';
    this.agent = this.secure
      ? new https.Agent({ keepAlive: true, maxSockets: 256 })
      : new http.Agent({ keepAlive: true, maxSockets: 256 });
    this.send = this.secure ? https.request : http.request;
  }

  post(url: URL, options: PostOptions): Promise<HttpResponse> {
    const target = this.targetOf(url);
    const headers = { ...options.headers, 'content-length': String(Buffer.byteLength(options.body, 'utf8')) };
    const deadline = Date.now() + this.timeoutMs;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let req: http.ClientRequest;
      const finish = (error: TransportError | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(response as HttpResponse);
      };
      const timer = setTimeout(() => {
        finish(new TransportError('timeout', `no answer within ${this.timeoutMs} ms`));
        req.destroy();
      }, this.timeoutMs);
      const attempt = (first: boolean): void => {
        req = this.send({
          method: 'POST',
          agent: this.agent,
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          headers,
        });
        let answered = false;
        req.on('error', (err: NodeJS.ErrnoException) => {
          // A kept-alive socket the server closed just as this request went out: the request never reached
          // it (node:http's documented race). Sent once more on a fresh socket; Alipay's calls are idempotent
          // by their request id in any case. Any other failure is the caller's "unknown".
          if (first && !answered && req.reusedSocket && err.code === 'ECONNRESET' && Date.now() < deadline) {
            attempt(false);
            return;
          }
          finish(new TransportError('network', err.code ?? err.message));
        });
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('error', (err: NodeJS.ErrnoException) => finish(new TransportError('network', err.code ?? err.message)));
          res.on('aborted', () => finish(new TransportError('network', 'response aborted')));
          res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: joinedHeaders(res.headers), body }));
        });
        req.end(options.body, 'utf8');
      };
      attempt(true);
    });
  }

  private targetOf(url: URL): Target {
    let target = this.targets.get(url.href);
    if (target === undefined) {
      // Brackets of an IPv6 literal are URL syntax, not part of the host name.
      target = { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port, path: url.pathname + url.search };
      // A channel posts to a handful of URLs; the bound only guards against a caller that varies them.
      if (this.targets.size >= 64) this.targets.clear();
      this.targets.set(url.href, target);
    }
    return target;
  }

  /** Drops idle keep-alive sockets (tests, shutdown). */
  close(): void {
    this.agent.destroy();
  }
}

/** node:http's headers as they are, unless one repeats as an array (set-cookie): that one is joined. */
function joinedHeaders(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  for (const name in headers) {
    if (Array.isArray(headers[name])) {
      const joined: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(headers)) joined[key] = Array.isArray(value) ? value.join(', ') : value;
      return joined;
    }
  }
  return headers as Record<string, string | undefined>;
}

/** Case-insensitive header lookup for headers given by callers (notifications). */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
