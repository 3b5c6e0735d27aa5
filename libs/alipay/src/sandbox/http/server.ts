import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { amsApiOf, AmsHandler } from '../ams/ams.handler';
import { SandboxContext } from '../context';
import { SandboxControl } from '../control';
import { MapiHandler } from '../mapi/mapi.handler';
import { OpenapiHandler } from '../openapi/openapi.handler';
import { SandboxProtocol } from '../protocol';
import { BILL_DOWNLOAD_PATH } from '../statements/sandbox-statements';
import { jsonReply, SandboxReply, SandboxRequest } from './exchange';

const MAX_BODY_BYTES = 1024 * 1024;

type Route = { protocol: SandboxProtocol; handle: (req: SandboxRequest) => SandboxReply };

/**
 * One node:http server for all three protocols and the control API. It owns every timer it starts
 * (latency, withheld answers) so close() leaves nothing behind.
 */
export class SandboxHttpServer {
  private readonly server: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ams: AmsHandler;
  private readonly openapi: OpenapiHandler;
  private readonly mapi: MapiHandler;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly control: SandboxControl,
    private readonly noAnswerHoldMs: number,
  ) {
    this.ams = new AmsHandler(ctx);
    this.openapi = new OpenapiHandler(ctx);
    this.mapi = new MapiHandler(ctx);
    this.server = http.createServer((req, res) => this.onRequest(req, res));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === BILL_DOWNLOAD_PATH) {
      void this.ctx.statements.serveDownload(url, res).catch(() => res.destroy());
      return;
    }
    const isControl = url.pathname.startsWith('/sandbox/');
    const faults = this.control.faults;
    if (!isControl && faults.refuseAll) {
      req.socket.destroy();
      return;
    }
    const route = isControl ? undefined : this.route(method, url.pathname);
    if (!isControl && !route) {
      req.resume();
      write(res, jsonReply(404, { error: 'NOT_FOUND', path: url.pathname }));
      return;
    }
    readBody(req, (body) => {
      if (body === undefined) {
        write(res, jsonReply(413, { error: 'BODY_TOO_LARGE' }));
        return;
      }
      const request: SandboxRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        receivedAt: this.ctx.now(),
      };
      if (!route) {
        write(
          res,
          this.guard(request, () => this.control.handle(request)),
        );
        return;
      }
      this.after(faults.latencyMs, () => this.answer(route, request, res));
    });
  }

  private answer(route: Route, request: SandboxRequest, res: http.ServerResponse): void {
    if (res.destroyed) return;
    const errorRate = this.control.faults.errorRate;
    if (errorRate > 0 && Math.random() < errorRate) {
      this.ctx.log({ event: 'api.fault', protocol: route.protocol, path: request.path });
      write(res, jsonReply(500, { error: 'SYSTEM_ERROR', detail: 'fault injected by the sandbox' }));
      return;
    }
    const reply = this.guard(request, () => route.handle(request));
    this.ctx.log({
      event: 'api',
      protocol: route.protocol,
      path: request.path,
      withheld: reply.withhold === true,
    });
    if (reply.withhold) this.withhold(res);
    else write(res, reply);
  }

  /** A bug in a handler answers 500 (as a failing Alipay would) instead of taking the whole sandbox down. */
  private guard(request: SandboxRequest, handle: () => SandboxReply): SandboxReply {
    try {
      return handle();
    } catch (err) {
      this.ctx.log({
        event: 'error',
        path: request.path,
        error: err instanceof Error ? err.message : String(err),
      });
      return jsonReply(500, { error: 'SANDBOX_ERROR' });
    }
  }

  /** Scenario 004: the payment is made, but the caller hears nothing until its own timeout. */
  private withhold(res: http.ServerResponse): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      res.socket?.destroy();
    }, this.noAnswerHoldMs);
    this.timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  private after(delayMs: number, run: () => void): void {
    if (delayMs <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }

  private route(method: string, path: string): Route | undefined {
    if (path === '/gateway.do' && (method === 'POST' || method === 'GET')) {
      return { protocol: 'openapi', handle: (r) => this.openapi.handle(r) };
    }
    if (path === '/mapi/gateway.do' && (method === 'POST' || method === 'GET')) {
      return { protocol: 'mapi', handle: (r) => this.mapi.handle(r) };
    }
    const api = method === 'POST' ? amsApiOf(path) : undefined;
    return api ? { protocol: 'ams', handle: (r) => this.ams.handle(r, api) } : undefined;
  }
}

function readBody(req: http.IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => done(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => undefined);
}

function write(res: http.ServerResponse, reply: SandboxReply): void {
  if (res.destroyed) return;
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}
