import { createServer, type Server, type Socket } from 'node:net';
import { HttpTransport, TransportError } from '../src/http/transport';

/**
 * A server that answers the first request of each connection (keep-alive) and drops the connection when a
 * second request comes on it: what a server closing an idle kept-alive socket looks like to a client that
 * sent on it at that moment. `dropFirst`: drop even the first request of a connection.
 */
async function flakyServer(dropFirst = false): Promise<{ server: Server; url: URL; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    connections += 1;
    let requests = 0;
    socket.on('data', () => {
      requests += 1;
      if (dropFirst || requests > 1) {
        socket.resetAndDestroy();
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: new URL(`http://127.0.0.1:${port}/pay`), connections: () => connections };
}

describe('HttpTransport', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('sends once more on a fresh socket when the kept-alive one was closed under the request', async () => {
    const flaky = await flakyServer();
    server = flaky.server;
    const transport = new HttpTransport(2_000);
    expect((await transport.post(flaky.url, { headers: {}, body: '{"a":1}' })).status).toBe(200);
    expect((await transport.post(flaky.url, { headers: {}, body: '{"a":2}' })).status).toBe(200);
    expect(flaky.connections()).toBe(2);
    transport.close();
  });

  it('reports a reset of a fresh connection as a network failure, without sending again', async () => {
    const flaky = await flakyServer(true);
    server = flaky.server;
    const transport = new HttpTransport(2_000);
    const failure = await transport.post(flaky.url, { headers: {}, body: '{}' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as TransportError).kind).toBe('network');
    expect(flaky.connections()).toBe(1);
    transport.close();
  });
});
