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

/**
 * One keep-alive agent per channel (chosen by URL scheme) and a hard per-call deadline covering connect,
 * send and the whole response body, so a stalled Alipay can never hold a terminal beyond `timeoutMs`.
 */
export class HttpTransport {
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.secure = new URL(baseUrl).protocol === 'https:';
    this.agent = this.secure
      ? new https.Agent({ keepAlive: true, maxSockets: 256 })
      : new http.Agent({ keepAlive: true, maxSockets: 256 });
  }

  post(url: URL, options: PostOptions): Promise<HttpResponse> {
    const body = Buffer.from(options.body, 'utf8');
    const send = this.secure ? https.request : http.request;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: TransportError | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(response as HttpResponse);
      };
      const req = send(url, {
        method: 'POST',
        agent: this.agent,
        headers: { ...options.headers, 'content-length': String(body.length) },
      });
      const timer = setTimeout(() => {
        finish(new TransportError('timeout', `no answer within ${this.timeoutMs} ms`));
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        finish(new TransportError('network', err.code ?? err.message));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err: NodeJS.ErrnoException) => finish(new TransportError('network', err.code ?? err.message)));
        res.on('aborted', () => finish(new TransportError('network', 'response aborted')));
        res.on('end', () => {
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      req.end(body);
    });
  }

  /** Drops idle keep-alive sockets (tests, shutdown). */
  close(): void {
    this.agent.destroy();
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
