/**
 * /health/live and /health/ready over real HTTP against the running switch. The MariaDB case reaches its
 * database through a TCP proxy the test cuts: ready must answer 503 naming the database while live stays
 * 200, and ready must recover once the database is reachable again. The old /health keeps answering.
 */
import { startSwitch, type RunningSwitch } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/logging/logger';
import { createMysqlTestDatabase, type TestDatabase } from '../../support/databases';
import { eventually } from '../../support/pos-helpers';
import { startTestSwitch, testEnvironment, type SwitchUnderTest } from '../../support/switch-harness';
import { sample, scrape } from './metrics-text';
import { TcpProxy } from './tcp-proxy';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string; oldestUnrelayedAgeMs?: number }>;
}

async function get(url: string): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describe('health probes with the database behind a proxy (MariaDB)', () => {
  const proxy = new TcpProxy('127.0.0.1', 3306);
  let db: TestDatabase;
  let running: RunningSwitch;

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
    const port = await proxy.open();
    const viaProxy = db.config.url!.replace('@127.0.0.1:3306/', `@127.0.0.1:${port}/`);
    const config = loadConfig(testEnvironment({ DATABASE_URL: viaProxy, LOG_LEVEL: 'silent' }));
    running = await startSwitch(config, createLogger('silent'));
  });

  afterAll(async () => {
    if (!proxy.listening) await proxy.open();
    await running?.close();
    await proxy.cut();
    await db?.drop();
  });

  it('is live and ready while the database answers; /health still answers ok', async () => {
    const live = await get(`${running.httpUrl}/health/live`);
    expect(live).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
    const ready = await get(`${running.httpUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info).toEqual({
      database: { status: 'up' },
      outbox: { status: 'up', oldestUnrelayedAgeMs: 0, maxAgeMs: 60_000 },
    });
    const old = await get(`${running.httpUrl}/health`);
    expect(old).toEqual({ status: 200, body: { status: 'ok', database: 'up' } });
  });

  it('is not ready (503, database down) while the database is unreachable, still live, and ready again after', async () => {
    await proxy.cut();
    const ready = await get(`${running.httpUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('error');
    expect(ready.body.error?.database?.status).toBe('down');
    expect((await get(`${running.httpUrl}/health/live`)).status).toBe(200);

    await proxy.open();
    await eventually(async () =>
      (await get(`${running.httpUrl}/health/ready`)).status === 200 ? true : undefined,
    );
  }, 30_000);
});

describe('health probes with Kafka and a stalled outbox (embedded SQLite)', () => {
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    const brokers = process.env.KAFKA_BROKERS;
    if (!brokers)
      throw new Error(
        'KAFKA_BROKERS is not set: run `npm run kafka:up` and set KAFKA_BROKERS=127.0.0.1:9092',
      );
    sut = await startTestSwitch('sqlite', {
      KAFKA_BROKERS: brokers,
      LOG_LEVEL: 'silent',
      READY_MAX_OUTBOX_AGE_MS: '5000',
    });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('checks Kafka when configured', async () => {
    const ready = await get(`${sut.running.httpUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info?.kafka?.status).toBe('up');
  });

  it("reads the Kafka dead-letter topic's size into the metrics", async () => {
    const { text } = await eventually(async () => {
      const scraped = await scrape(sut.running.httpUrl);
      return sample(scraped.text, 'switch_dead_letters', { queue: 'kafka' }) !== undefined
        ? scraped
        : undefined;
    });
    expect(sample(text, 'switch_dead_letters', { queue: 'kafka' })).toBe(0);
    expect(sample(text, 'switch_queue_state_up')).toBe(1);
  });

  it('is not ready while an outbox row waits longer than READY_MAX_OUTBOX_AGE_MS', async () => {
    // A row of a kind no relay takes stays unrelayed: what a stalled relay looks like.
    const tenSecondsAgo = new Date(Date.now() - 10_000).toISOString().replace('T', ' ').slice(0, 23);
    await sut.running.dataSource.query(
      "INSERT INTO outbox (kind, message_key, payload, created_at) VALUES ('STALLED', 'k', '{}', ?)",
      [tenSecondsAgo],
    );
    const ready = await get(`${sut.running.httpUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.error?.outbox?.status).toBe('down');
    expect(ready.body.error?.outbox?.oldestUnrelayedAgeMs).toBeGreaterThanOrEqual(10_000);
    expect(ready.body.info?.database?.status).toBe('up');
  });
});
