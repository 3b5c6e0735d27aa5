import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as forge from 'node-forge';
import { HttpTransport, TransportError } from '../src/http/transport';

type AnyServer = HttpServer | NetServer;

const servers: AnyServer[] = [];
const transports: HttpTransport[] = [];

afterEach(async () => {
  transports.splice(0).forEach((transport) => transport.close());
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          if ('closeAllConnections' in server) server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts connections the way the server sees them: opened in total, and open at the same time at most. */
function counted<S extends AnyServer>(server: S): S & { opened: number; peak: number; sockets: Set<Socket> } {
  const tracked = Object.assign(server, { opened: 0, peak: 0, sockets: new Set<Socket>() });
  server.on('connection', (socket: Socket) => {
    tracked.opened += 1;
    tracked.sockets.add(socket);
    tracked.peak = Math.max(tracked.peak, tracked.sockets.size);
    socket.on('close', () => tracked.sockets.delete(socket));
  });
  return tracked;
}

async function listen<S extends AnyServer>(server: S, scheme = 'http', host = '127.0.0.1'): Promise<URL> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return new URL(`${scheme}://${host}:${port}/gateway.do?charset=utf-8`);
}

function httpServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  return counted(
    createHttpServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => handler(req, res, Buffer.concat(parts).toString('utf8')));
    }),
  );
}

/** A server writing raw bytes: `answer` is called for each request (each arrives in one piece on loopback). */
function rawServer(answer: (socket: Socket, request: string) => void) {
  return counted(
    createNetServer((socket) => {
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('data', (data: Buffer) => answer(socket, data.toString('utf8')));
    }),
  );
}

function transportFor(timeoutMs = 2_000, options?: ConstructorParameters<typeof HttpTransport>[1]): HttpTransport {
  const transport = new HttpTransport(timeoutMs, options);
  transports.push(transport);
  return transport;
}

async function failureOf(promise: Promise<unknown>): Promise<TransportError> {
  const failure = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(TransportError);
  return failure as TransportError;
}

describe('HttpTransport on the wire', () => {
  it('sends method, path, host, headers and a UTF-8 body, and reuses one connection for sequential posts', async () => {
    const seen: { method?: string; url?: string; host?: string; type?: string; length?: string; body: string }[] = [];
    const server = httpServer((req, res, body) => {
      seen.push({ method: req.method, url: req.url, host: req.headers.host, type: req.headers['content-type'], length: req.headers['content-length'], body });
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`echo ${body}`);
    });
    const url = await listen(server);
    const transport = transportFor();
    for (let i = 0; i < 5; i++) {
      const res = await transport.post(url, { headers: { 'Content-Type': 'application/json' }, body: `{"n":${i},"name":"Zoë €"}` });
      expect(res).toEqual({ status: 200, headers: expect.objectContaining({ 'content-type': 'text/plain; charset=utf-8' }), body: `echo {"n":${i},"name":"Zoë €"}` });
    }
    expect(seen[4]).toEqual({ method: 'POST', url: '/gateway.do?charset=utf-8', host: url.host, type: 'application/json', length: String(Buffer.byteLength('{"n":4,"name":"Zoë €"}')), body: '{"n":4,"name":"Zoë €"}' });
    expect(seen[4].length).toBe('25');
    expect(server.opened).toBe(1);
  });

  it('completes 50 concurrent posts over no more sockets than the bound', async () => {
    const server = httpServer((_req, res, body) => setTimeout(() => res.end(body), 5));
    const url = await listen(server);
    const transport = transportFor(5_000, { maxSockets: 4 });
    const bodies = Array.from({ length: 50 }, (_, i) => `{"i":${i}}`);
    const answers = await Promise.all(bodies.map((body) => transport.post(url, { headers: {}, body })));
    expect(answers.map((res) => res.body)).toEqual(bodies);
    expect(server.peak).toBe(4);
    expect(server.opened).toBe(4);
  });

  it('reads a chunked answer whose multi-byte character is split across writes', async () => {
    const euro = Buffer.from('€', 'utf8');
    const server = rawServer((socket) => {
      void (async () => {
        socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nprice');
        await sleep(10);
        socket.write(Buffer.concat([Buffer.from('\r\n4\r\n'), euro.subarray(0, 1)]));
        await sleep(10);
        socket.write(Buffer.concat([euro.subarray(1), Buffer.from('1\r\n0\r\nX-Trailer: t\r\n\r\n')]));
      })();
    });
    const url = await listen(server);
    const transport = transportFor();
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('price€1');
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('price€1');
    expect(server.opened).toBe(1);
  });

  it('reads a Content-Length answer arriving byte by byte', async () => {
    const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 9\r\nX-Id: 7\r\n\r\n{"€":1}', 'utf8');
    const server = rawServer((socket) => {
      void (async () => {
        for (const byte of answer) {
          socket.write(Buffer.from([byte]));
          await sleep(1);
        }
      })();
    });
    const url = await listen(server);
    const res = await transportFor().post(url, { headers: {}, body: '{}' });
    expect(res).toEqual({ status: 200, headers: { 'content-length': '9', 'x-id': '7' }, body: '{"€":1}' });
  });

  it('reads an unframed answer until the server closes, and opens a new connection for the next post', async () => {
    const server = rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, ');
      setTimeout(() => socket.end('second part'), 10);
    });
    const url = await listen(server);
    const transport = transportFor();
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('first part, second part');
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('first part, second part');
    expect(server.opened).toBe(2);
  });

  it('does not reuse a connection the server answered with Connection: close', async () => {
    const server = httpServer((_req, res) => {
      res.setHeader('Connection', 'close');
      res.end('bye');
    });
    const url = await listen(server);
    const transport = transportFor();
    for (let i = 0; i < 3; i++) expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('bye');
    expect(server.opened).toBe(3);
  });

  it('skips a 100 Continue before the answer', async () => {
    const server = rawServer((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone'), 5);
    });
    const url = await listen(server);
    const transport = transportFor();
    expect(await transport.post(url, { headers: {}, body: '' })).toEqual({ status: 200, headers: { 'content-length': '4' }, body: 'done' });
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('done');
    expect(server.opened).toBe(1);
  });

  it('joins repeated headers with ", "', async () => {
    const server = httpServer((_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Dup', ['one', 'two']);
      res.end();
    });
    const url = await listen(server);
    const res = await transportFor().post(url, { headers: {}, body: '' });
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(res.headers['x-dup']).toBe('one, two');
  });

  it('fails a malformed status line as a network error and drops the connection', async () => {
    const server = rawServer((socket) => socket.write('HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n'));
    const url = await listen(server);
    const failure = await failureOf(transportFor().post(url, { headers: {}, body: '' }));
    expect(failure.kind).toBe('network');
    expect(failure.message).toBe('malformed status line');
    await sleep(20);
    expect(server.sockets.size).toBe(0);
  });

  it('times out a stalled answer and destroys its socket', async () => {
    const server = rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf'));
    const url = await listen(server);
    const transport = transportFor(150);
    const startedAt = Date.now();
    const failure = await failureOf(transport.post(url, { headers: {}, body: '' }));
    expect(failure.kind).toBe('timeout');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await sleep(20);
    expect(server.sockets.size).toBe(0);
    expect(server.opened).toBe(1);
  });

  it('counts the wait for a busy socket against the deadline', async () => {
    // Each answer takes 300 ms; the second post waits 300 ms for the only socket, so 300 + 300 passes its 450.
    const server = httpServer((_req, res) => setTimeout(() => res.end('slow'), 300));
    const url = await listen(server);
    const transport = transportFor(450, { maxSockets: 1 });
    const first = transport.post(url, { headers: {}, body: '' });
    const second = failureOf(transport.post(url, { headers: {}, body: '' }));
    expect((await first).body).toBe('slow');
    expect((await second).kind).toBe('timeout');
  });

  it('opens a fresh socket after the server closed the idle pooled one', async () => {
    const server = httpServer((_req, res) => res.end('ok'));
    const url = await listen(server);
    const transport = transportFor();
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('ok');
    // What a server's keep-alive timeout does: end the idle connection.
    for (const socket of server.sockets) socket.end();
    await sleep(50);
    expect(server.sockets.size).toBe(0);
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('ok');
    expect(server.opened).toBe(2);
  });

  it('drops an idle pooled socket on which the server talks out of turn', async () => {
    const server = rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale'), 20);
    });
    const url = await listen(server);
    const transport = transportFor();
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('ok');
    await sleep(60);
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('ok');
    expect(server.opened).toBe(2);
  });

  it('does not send again when the kept-alive socket fails after answer bytes arrived', async () => {
    let requests = 0;
    const server = rawServer((socket) => {
      requests += 1;
      if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n');
        setTimeout(() => socket.resetAndDestroy(), 10);
      }
    });
    const url = await listen(server);
    const transport = transportFor();
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('ok');
    expect((await failureOf(transport.post(url, { headers: {}, body: '' }))).kind).toBe('network');
    expect(requests).toBe(2);
    expect(server.opened).toBe(1);
  });

  it('never sends a request a third time', async () => {
    let requests = 0;
    const server = rawServer((socket) => {
      requests += 1;
      if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.resetAndDestroy();
    });
    const url = await listen(server);
    const transport = transportFor();
    expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('ok');
    expect(await failureOf(transport.post(url, { headers: {}, body: '' }))).toMatchObject({ kind: 'network', message: 'ECONNRESET' });
    expect(requests).toBe(3);
    expect(server.opened).toBe(2);
  });

  it('close() destroys sockets and fails the calls waiting for one', async () => {
    const server = rawServer(() => undefined);
    const url = await listen(server);
    const transport = transportFor(5_000, { maxSockets: 1 });
    const busy = failureOf(transport.post(url, { headers: {}, body: '' }));
    const waiting = failureOf(transport.post(url, { headers: {}, body: '' }));
    await sleep(20);
    transport.close();
    expect((await busy).kind).toBe('network');
    expect((await waiting).message).toBe('transport closed');
    await sleep(20);
    expect(server.sockets.size).toBe(0);
  });

  it('posts to an IPv6 literal host', async () => {
    const server = httpServer((req, res) => res.end(req.headers.host));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    const url = new URL(`http://[::1]:${(server.address() as { port: number }).port}/pay`);
    expect((await transportFor().post(url, { headers: {}, body: '' })).body).toBe(url.host);
  });

  it('fails a refused connection as a network error', async () => {
    const server = rawServer(() => undefined);
    const url = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const failure = await failureOf(transportFor().post(url, { headers: {}, body: '' }));
    expect(failure).toMatchObject({ kind: 'network', message: 'ECONNREFUSED' });
  });

  it('refuses a header value that would inject a header', async () => {
    const server = httpServer((_req, res) => res.end());
    const url = await listen(server);
    await expect(transportFor().post(url, { headers: { 'x-a': 'v\r\nx-b: w' }, body: '' })).rejects.toThrow(TypeError);
  });

  describe('over TLS', () => {
    const { ca, key, cert } = selfSigned();

    it('posts to an https server whose certificate the given CA signed, by name and by address', async () => {
      const server = counted(createHttpsServer({ key, cert }, (_req, res) => res.end('secure €')));
      const byName = await listen(server, 'https', 'localhost');
      const transport = transportFor(2_000, { ca });
      expect((await transport.post(byName, { headers: {}, body: '{}' })).body).toBe('secure €');
      expect((await transport.post(byName, { headers: {}, body: '{}' })).body).toBe('secure €');
      expect(server.opened).toBe(1);
      const byAddress = new URL(byName.href.replace('localhost', '127.0.0.1'));
      expect((await transportFor(2_000, { ca }).post(byAddress, { headers: {}, body: '{}' })).body).toBe('secure €');
    });

    it('resumes the TLS session on a new socket', async () => {
      const server = counted(createHttpsServer({ key, cert }, (_req, res) => res.end('secure')));
      const resumed: boolean[] = [];
      server.on('secureConnection', (socket: TLSSocket) => resumed.push(socket.isSessionReused()));
      const url = await listen(server, 'https', 'localhost');
      const transport = transportFor(2_000, { ca });
      expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('secure');
      for (const socket of server.sockets) socket.destroy();
      await sleep(50);
      expect((await transport.post(url, { headers: {}, body: '' })).body).toBe('secure');
      expect(resumed).toEqual([false, true]);
    });

    it('refuses a certificate it cannot verify', async () => {
      const server = createHttpsServer({ key, cert }, (_req, res) => res.end('secure'));
      const url = await listen(server, 'https', 'localhost');
      const failure = await failureOf(transportFor().post(url, { headers: {}, body: '' }));
      expect(failure.kind).toBe('network');
      expect(failure.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    });
  });
});

/** A self-signed certificate for localhost and 127.0.0.1: its own CA. */
function selfSigned(): { ca: string; key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: 'localhost' }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  const cert = forge.pki.certificateToPem(certificate);
  return { ca: cert, key, cert };
}
