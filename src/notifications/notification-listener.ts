/**
 * The HTTP listener Alipay posts to (NOTIFY_HTTP_HOST:NOTIFY_HTTP_PORT), apart from the admin server.
 * Only POST /notifications/{ams,openapi,mapi}; each request's size and media type are checked before its
 * body is read, bodies over NOTIFY_MAX_BODY_BYTES are cut off, and slow senders time out, so forged or
 * junk traffic costs little and never holds up a genuine notification.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelName, NotifyReply } from '@switch/alipay';
import type { Logger } from '../logging/logger';
import { NOTIFY_PROTOCOLS, type NotificationIntake } from './notification-intake';

const PATH = /^\/notifications\/(ams|openapi|mapi)$/;
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface NotificationListenerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
}

export class NotificationListener {
  private readonly server: http.Server;

  constructor(
    private readonly intake: NotificationIntake,
    private readonly options: NotificationListenerOptions,
    private readonly logger: Logger,
  ) {
    this.server = http.createServer(
      { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      (req, res) => this.onRequest(req, res),
    );
    this.server.maxHeadersCount = 64;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const port = this.port();
        this.logger.info({ host: this.options.host, port }, 'alipay notification listener started');
        resolve(port);
      });
    });
  }

  port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const channel = PATH.exec(path)?.[1] as ChannelName | undefined;
    if (!channel) return refuse(req, res, 404, 'not found');
    const protocol = NOTIFY_PROTOCOLS[channel];
    if (req.method !== 'POST') return send(req, res, protocol.refuse(405, 'POST only'), true);
    if (!protocol.accepts(req.headers['content-type'])) {
      return send(req, res, protocol.refuse(415, 'unsupported content type'), true);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.options.maxBodyBytes)
      return send(req, res, protocol.refuse(413, 'body too large'), true);

    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.options.maxBodyBytes) {
        send(req, res, protocol.refuse(413, 'body too large'), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => req.destroy());
    req.on('end', () => {
      if (size > this.options.maxBodyBytes || res.headersSent) return;
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
      this.intake
        .take(channel, { path, headers, rawBody: Buffer.concat(chunks).toString('utf8') })
        .then((reply) => send(req, res, reply, false))
        .catch(() => send(req, res, protocol.refuse(500, 'internal error'), false));
    });
  }
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string): void {
  send(req, res, { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: reason }, true);
}

/** `early`: answered before the body was read; the connection is closed rather than drained. */
function send(req: http.IncomingMessage, res: http.ServerResponse, reply: NotifyReply, early: boolean): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(body.length),
    ...(early ? { connection: 'close' } : {}),
  });
  res.end(body);
  if (early) req.resume();
}
