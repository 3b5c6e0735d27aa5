/**
 * "A bad key fails at start-up": the switch opens every active merchant's credentials and parses its keys
 * before it listens. A merchant whose private key is garbage, or whose credentials were sealed under
 * another DATA_ENCRYPTION_KEY, stops the start with an error naming it (and not its key); with
 * REQUIRE_VALID_CREDENTIALS=false the switch starts and logs them; a suspended merchant is not checked.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startSwitch } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/logging/logger';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';
import { UNIT_OF_WORK } from '../../../src/persistence/persistence.tokens';
import type { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { BadCredentialsError } from '../../../src/operations/startup/credential-check';
import { createSqliteTestDatabase } from '../../support/databases';
import { testEnvironment } from '../../support/switch-harness';

describe('start-up credential check (embedded SQLite)', () => {
  const db = createSqliteTestDatabase();
  const env = (extra: Record<string, string> = {}) =>
    testEnvironment({ SQLITE_PATH: db.config.sqlitePath, LOG_LEVEL: 'info', ...extra });

  beforeAll(async () => {
    // First start seeds the demo merchants; then two of them get bad credentials and a third is suspended with bad ones.
    const config = loadConfig(env());
    const running = await startSwitch(config, createLogger('silent'));
    const box = new SecretBox(config.secrets.dataEncryptionKey);
    // Through the unit of work: it serialises sql.js access and writes the file when the change commits.
    const write = (sql: string, params: unknown[] = []) =>
      running.app.get<UnitOfWork>(UNIT_OF_WORK).run((m) => m.query(sql, params));
    const [ams] = await running.dataSource.query<Array<{ credentials_sealed: string }>>(
      "SELECT credentials_sealed FROM merchants WHERE merchant_id = 'MERCHANT0000001'",
    );
    const garbled = {
      ...JSON.parse(box.openText(ams.credentials_sealed, sealedIn.merchantCredentials('MERCHANT0000001'))),
      merchantPrivateKey: 'not a key',
    } as object;
    await write("UPDATE merchants SET credentials_sealed = ? WHERE merchant_id = 'MERCHANT0000001'", [
      box.seal(JSON.stringify(garbled), sealedIn.merchantCredentials('MERCHANT0000001')),
    ]);
    const otherBox = new SecretBox(randomBytes(32));
    await write("UPDATE merchants SET credentials_sealed = ? WHERE merchant_id = 'MERCHANT0000003'", [
      otherBox.seal('{"channel":"mapi"}', sealedIn.merchantCredentials('MERCHANT0000003')),
    ]);
    await running.close();
  });

  it('refuses to start, naming every active merchant whose credentials do not load, never a key', async () => {
    const error = await startSwitch(loadConfig(env()), createLogger('silent')).then(
      async (running) => {
        await running.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BadCredentialsError);
    if (!(error instanceof BadCredentialsError)) return;
    expect(error.merchants.map((m) => m.merchantId)).toEqual(['MERCHANT0000001', 'MERCHANT0000003']);
    expect(error.message).toMatch(/MERCHANT0000001 \(KeyFormatError: cannot read private key\)/);
    expect(error.message).not.toMatch(/BEGIN|not a key/);
  });

  it('starts with REQUIRE_VALID_CREDENTIALS=false and logs the bad merchants; suspended ones are not checked', async () => {
    const first = startSwitch(
      loadConfig(env({ REQUIRE_VALID_CREDENTIALS: 'false' })),
      createLogger('silent'),
    );
    const running = await first;
    await running.app
      .get<UnitOfWork>(UNIT_OF_WORK)
      .run((m) => m.query("UPDATE merchants SET status = 'suspended' WHERE merchant_id = 'MERCHANT0000003'"));
    await running.close();

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const again = await startSwitch(
      loadConfig(env({ REQUIRE_VALID_CREDENTIALS: 'false' })),
      createLogger('info', sink),
    );
    try {
      const reported = lines
        .map((line) => JSON.parse(line) as { msg: string; merchantId?: string })
        .filter((entry) => entry.msg === 'merchant credentials do not load: its payments would fail');
      expect(reported.map((entry) => entry.merchantId)).toEqual(['MERCHANT0000001']);
      const health = await fetch(`${again.httpUrl}/health/ready`);
      expect(health.status).toBe(200);
    } finally {
      await again.close();
    }
  });
});
