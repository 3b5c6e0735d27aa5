import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedNotification {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface NotificationReceiver {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  received: ReceivedNotification[];
  /** Resolves once `count` notifications have arrived in total. */
  waitFor(count: number): Promise<ReceivedNotification[]>;
  close(): Promise<void>;
}

/** A local merchant endpoint; `answer` decides the reply to each notification (by arrival index). */
export async function startReceiver(
  answer: (n: ReceivedNotification, index: number) => { status: number; body: string },
): Promise<NotificationReceiver> {
  const received: ReceivedNotification[] = [];
  const waiters: { count: number; resolve: (r: ReceivedNotification[]) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n: ReceivedNotification = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(n);
      const reply = answer(n, received.length - 1);
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      res.end(reply.body);
      for (const w of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(received.slice());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor(count) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
