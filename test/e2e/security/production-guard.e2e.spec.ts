import { Field } from '@switch/iso8583';
import { loadSandboxCredentials } from '@switch/alipay';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { startSwitch } from '../../../src/bootstrap';
import { AppConfig, loadConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/logging/logger';
import { openDatabase } from '../../../src/persistence/data-source';
import { MerchantEntity } from '../../../src/persistence/entities';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';
import { purchase } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { createMysqlTestDatabase, TestDatabase } from '../../support/databases';
import { nextStan, paymentCode } from '../../support/pos-helpers';
import { insertProductionMerchant, productionSecrets } from '../../support/production-rows';
import { testEnvironment } from '../../support/switch-harness';

/** NODE_ENV=production on MariaDB: stored merchants must be fit for production before a terminal is served. */
describe('production guard over stored merchants', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let dataSource: DataSource;
  const logs: string[] = [];
  const logger = () => createLogger('info', new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }));

  beforeEach(async () => {
    db = await createMysqlTestDatabase();
    config = loadConfig(testEnvironment({ DATABASE_URL: db.config.url!, ...productionSecrets() }));
    dataSource = await openDatabase(config.database);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('refuses to start with a merchant whose Alipay endpoint is not https', async () => {
    await insertProductionMerchant(dataSource, new SecretBox(config.secrets.dataEncryptionKey), { allowedNetworks: '127.0.0.0/8' }, {
      endpoint: 'http://open-sea-global.alipay.com',
    });
    await expect(startSwitch(config, logger())).rejects.toThrow(/merchant MERCHANTPROD001: "http:\/\/open-sea-global.alipay.com" is not https/);
  });

  it('refuses to start with a merchant on the sandbox demo keys', async () => {
    const demo = loadSandboxCredentials().ams;
    const secrets = new SecretBox(config.secrets.dataEncryptionKey);
    await insertProductionMerchant(dataSource, secrets, { allowedNetworks: '127.0.0.0/8' }, {
      credentialsSealed: secrets.seal(JSON.stringify({ channel: 'ams', clientId: demo.clientId, merchantPrivateKey: demo.merchantPrivateKey, alipayPublicKey: demo.alipayPublicKey }), sealedIn.merchantCredentials('MERCHANTPROD001')),
    });
    await expect(startSwitch(config, logger())).rejects.toThrow(/merchant MERCHANTPROD001: credentials are the sandbox demo keys/);
  });

  it('answers 58 without calling out when a merchant’s endpoint is changed to one off the allow-list while running', async () => {
    await insertProductionMerchant(dataSource, new SecretBox(config.secrets.dataEncryptionKey), { allowedNetworks: '127.0.0.0/8' });
    await dataSource.destroy();
    const running = await startSwitch(config, logger());
    try {
      await running.dataSource.getRepository(MerchantEntity).update({ merchantId: 'MERCHANTPROD001' }, { endpoint: 'https://alipay.evil.example' });
      const port = running.isoListeners().find((l) => l.dialect === 'ascii')!.port;
      const client = await PosClient.connect('127.0.0.1', port, { dialect: 'ascii', timeoutMs: 10_000 });
      const reply = await client.send(
        purchase({ terminalId: 'TERMPROD', merchantId: 'MERCHANTPROD001', stan: nextStan(), amountMinor: 100, paymentCode: paymentCode('000') }),
      );
      await client.close();
      expect(reply.get(Field.ResponseCode)).toBe('58');
      expect(logs.join('')).toMatch(/host \\"alipay.evil.example\\" is not in ALIPAY_ENDPOINT_HOSTS.*merchant refused: Alipay endpoint not allowed/);
    } finally {
      await running.close();
    }
  });
});
