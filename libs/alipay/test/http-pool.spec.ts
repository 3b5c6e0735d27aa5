import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Connection, ExchangeOutcome } from '../src/http/connection';
import { ConnectionPool, type ConnectionWaiter } from '../src/http/pool';

/** Takes the first connection offered. */
function waiter(fresh = false): ConnectionWaiter & { connection: Promise<Connection> } {
  let take!: (connection: Connection) => void;
  const connection = new Promise<Connection>((resolve) => (take = resolve));
  return { fresh, connection, take, refuse: (reason) => {
      throw new Error(`refused: ${reason}`);
    },
  };
}

function exchange(connection: Connection): Promise<ExchangeOutcome> {
  return new Promise((resolve) => connection.send('POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 0\r\n\r\n', resolve));
}

describe('ConnectionPool', () => {
  let server: Server;
  let port: number;
  const open = new Set<Socket>();
  beforeEach(async () => {
    server = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    open.forEach((socket) => socket.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it('hands out the most recently released connection first, and a fresh one when asked', async () => {
    const pool = new ConnectionPool(() => connect({ host: '127.0.0.1', port }), 4);
    const [a, b] = [waiter(), waiter()];
    pool.acquire(a);
    pool.acquire(b);
    const [first, second] = await Promise.all([a.connection, b.connection]);
    await Promise.all([exchange(first), exchange(second)]);
    pool.release(first);
    pool.release(second);
    const next = waiter();
    pool.acquire(next);
    expect(await next.connection).toBe(second);
    const fresh = waiter(true);
    pool.acquire(fresh);
    expect([first, second]).not.toContain(await fresh.connection);
    expect(pool.size).toBe(3);
    pool.close('done');
    expect(pool.size).toBe(0);
  });

  it('closes connections left idle past the timeout', async () => {
    const pool = new ConnectionPool(() => connect({ host: '127.0.0.1', port }), 4, 100);
    const w = waiter();
    pool.acquire(w);
    const connection = await w.connection;
    expect(await exchange(connection)).toMatchObject({ ok: true });
    pool.release(connection);
    expect(open.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(connection.isClosed).toBe(true);
    expect(pool.size).toBe(0);
    expect(open.size).toBe(0);
  });

  it('queues waiters FIFO when every socket is busy', async () => {
    const pool = new ConnectionPool(() => connect({ host: '127.0.0.1', port }), 1);
    const [a, b, c] = [waiter(), waiter(), waiter()];
    const order: string[] = [];
    pool.acquire(a);
    pool.acquire(b);
    pool.acquire(c);
    void b.connection.then(() => order.push('b'));
    void c.connection.then(() => order.push('c'));
    const only = await a.connection;
    await exchange(only);
    pool.release(only);
    await exchange(await b.connection);
    pool.release(only);
    expect(await c.connection).toBe(only);
    expect(order).toEqual(['b', 'c']);
    pool.close('done');
  });
});
