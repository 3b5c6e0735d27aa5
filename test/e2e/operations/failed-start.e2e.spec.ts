/**
 * A start that fails half-way (here: the notification listener's port is taken, the CI failure of
 * 2026-12-05) rejects with the cause and closes what it had opened: the database pool, the embedded
 * sandbox, the HTTP and ISO listeners and the engine's timers. Before, they stayed open, and the test
 * runner (a process that goes on after the failed start) never exited.
 */
import { createServer, type Server } from 'node:net';
import { startSwitch } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/logging/logger';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { freePort } from '../../support/free-port';
import { testEnvironment } from '../../support/switch-harness';

/** Handles keeping this process alive, counted by kind (sockets, servers, timers). */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('a start that fails half-way', () => {
  let db: TestDatabase;
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
    port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    // A first start migrates the database, so the failing one below gets as far as the listeners.
    const first = await startSwitch(loadConfig(testEnvironment({ DATABASE_URL: db.config.url! })), createLogger('silent'));
    await first.close();
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker?.close(resolve));
    await db?.drop();
  });

  it('rejects with the cause and leaves no pool, listener or timer behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = liveResources();
    const config = loadConfig(testEnvironment({ DATABASE_URL: db.config.url!, NOTIFY_HTTP_PORT: String(port) }));
    const error = await startSwitch(config, createLogger('silent')).then(
      async (running) => {
        await running.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'EADDRINUSE', port });
    // Sockets finish closing on the next turns of the event loop. Nothing may be more than before (a timer
    // of earlier work may have ended meanwhile, so fewer is fine).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const grown = Object.entries(liveResources()).filter(([kind, count]) => count > (before[kind] ?? 0));
    expect(Object.fromEntries(grown)).toEqual({});
  });
});
