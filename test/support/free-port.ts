import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;

/**
 * A port for a server that must be named before it starts (a notification URL announced in pay calls, a
 * broker's or a balancer's listeners). It is chosen at random below the kernel's ephemeral range, where no
 * outgoing connection and no listener on port 0 is given one: a port picked by listening on 0 and closing
 * was sometimes handed to another socket of the parallel test workers before the server bound it
 * (EADDRINUSE in CI). It is checked bindable on every address first.
 */
export async function freePort(): Promise<number> {
  const ephemeralFrom = ephemeralRangeStart();
  if (ephemeralFrom - LOWEST < 1_000) return portZero();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (ephemeralFrom - LOWEST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${ephemeralFrom}`);
}

function ephemeralRangeStart(): number {
  try {
    const [from] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/).map(Number);
    return Number.isInteger(from) ? from : 32_768;
  } catch {
    return 32_768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

function portZero(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
