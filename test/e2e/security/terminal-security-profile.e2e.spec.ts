import { Field } from '@switch/iso8583';
import { Writable } from 'node:stream';
import { startSwitch } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/logging/logger';
import { openDatabase } from '../../../src/persistence/data-source';
import { TerminalEntity } from '../../../src/persistence/entities';
import { SecretBox } from '../../../src/persistence/secret-box';
import { echo } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { createMysqlTestDatabase, TestDatabase } from '../../support/databases';
import { nextStan } from '../../support/pos-helpers';
import { insertProductionMerchant, productionSecrets } from '../../support/production-rows';
import { startTestSwitch, SwitchUnderTest, testEnvironment } from '../../support/switch-harness';

describe('terminal security profile: allowed source networks (MariaDB, real sockets)', () => {
  let sut: SwitchUnderTest;
  const clients: PosClient[] = [];

  beforeAll(async () => {
    sut = await startTestSwitch('mysql');
    const terminals = sut.running.dataSource.getRepository(TerminalEntity);
    await terminals.update({ terminalId: 'TERM0002' }, { allowedNetworks: '10.0.0.0/8, 192.0.2.7' });
    await terminals.update({ terminalId: 'TERM0003' }, { allowedNetworks: '10.0.0.0/8, 127.0.0.0/8, ::1' });
    await terminals.update({ terminalId: 'TERM0004' }, { allowedNetworks: '127.0.0.1/99' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sut?.stop();
  });

  const echoFrom = async (terminalId: string): Promise<string | undefined> => {
    const client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 5_000 });
    clients.push(client);
    const reply = await client.send(echo({ terminalId, stan: nextStan() }));
    return reply.get(Field.ResponseCode);
  };

  it('answers 58 to a terminal whose allow-list does not hold the source address', async () => {
    expect(await echoFrom('TERM0002')).toBe('58');
    expect(sut.logs.join('')).toContain('source address not allowed');
  });

  it('serves a terminal whose allow-list holds the source address', async () => {
    expect(await echoFrom('TERM0003')).toBe('00');
  });

  it('refuses (58, logged) a terminal whose allow-list does not parse instead of trusting any source', async () => {
    expect(await echoFrom('TERM0004')).toBe('58');
    expect(sut.logs.join('')).toContain('its allowed_networks do not parse');
  });

  it('still serves a demo terminal with no profile outside production', async () => {
    expect(await echoFrom('TERM0001')).toBe('00');
  });
});

describe('NODE_ENV=production refuses terminals without a security profile', () => {
  let db: TestDatabase;
  const sink = new Writable({ write: (_c, _e, done) => done() });

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('will not start while an active terminal has neither MAC key nor allowed networks, and starts once it has one', async () => {
    const config = loadConfig(testEnvironment({ DATABASE_URL: db.config.url!, ...productionSecrets() }));
    const dataSource = await openDatabase(config.database);
    await insertProductionMerchant(dataSource, new SecretBox(config.secrets.dataEncryptionKey));
    await dataSource.getRepository(TerminalEntity).insert({
      ...(await dataSource.getRepository(TerminalEntity).findOneByOrFail({ terminalId: 'TERMPROD' })),
      terminalId: 'TERMBLK1',
      status: 'suspended',
    });

    await expect(startSwitch(config, createLogger('silent', sink))).rejects.toThrow(
      /1 active terminal\(s\) have neither a MAC key nor allowed_networks \(security profile\): TERMPROD/,
    );

    await dataSource.getRepository(TerminalEntity).update({ terminalId: 'TERMPROD' }, { allowedNetworks: '10.20.0.0/16' });
    await dataSource.destroy();
    const running = await startSwitch(config, createLogger('silent', sink));
    await running.close();
  });
});

describe('a terminal whose merchant timeout is not below the gateway timeout (MariaDB, real sockets)', () => {
  let sut: SwitchUnderTest;
  const clients: PosClient[] = [];

  beforeAll(async () => {
    sut = await startTestSwitch('mysql'); // GATEWAY_TIMEOUT_MS 6000
    const terminals = sut.running.dataSource.getRepository(TerminalEntity);
    await terminals.update({ terminalId: 'TERM0007' }, { merchantTimeoutMs: 6_000 });
    await terminals.update({ terminalId: 'TERM0008' }, { merchantTimeoutMs: 5_999 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sut?.stop();
  });

  it('is refused with 58 and a log line naming both timeouts; one just below it is served', async () => {
    const client = await PosClient.connect('127.0.0.1', sut.port('nac-bcd'), { dialect: 'nac-bcd', timeoutMs: 5_000 });
    clients.push(client);
    expect((await client.send(echo({ terminalId: 'TERM0007', stan: nextStan() }))).get(Field.ResponseCode)).toBe('58');
    expect(sut.logs.join('')).toMatch(/"terminalId":"TERM0007","merchantTimeoutMs":6000,"gatewayTimeoutMs":6000.*its merchant timeout is not below the gateway timeout/);
    expect((await client.send(echo({ terminalId: 'TERM0008', stan: nextStan() }))).get(Field.ResponseCode)).toBe('00');
  });
});
