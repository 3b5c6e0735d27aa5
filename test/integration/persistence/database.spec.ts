import { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/persistence/data-source';
import { MerchantEntity, TerminalEntity } from '../../../src/persistence/entities';
import { MerchantCatalog } from '../../../src/persistence/merchant-catalog';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';
import { seedDemoData } from '../../../src/persistence/seed/demo-data';
import { TypeOrmTerminalDirectory } from '../../../src/persistence/typeorm-terminal-directory';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { createMysqlTestDatabase, DATABASE_KINDS, TestDatabase, useMigratedDatabase } from '../../support/databases';

const secrets = new SecretBox(Buffer.alloc(32, 7));

describe.each(DATABASE_KINDS)('persistence on %s', (_name, create) => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await create();
    dataSource = await openDatabase(db.config);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('creates the schema by migrations and records them', async () => {
    const applied = await dataSource.query('SELECT name FROM migrations');
    expect(applied.map((r: { name: string }) => r.name)).toContain('MerchantsTerminals1763776000000');
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('seeds the demo merchants and terminals once, with credentials sealed', async () => {
    const uow = new UnitOfWork(dataSource);
    await seedDemoData(uow, secrets, 60_000);
    await seedDemoData(uow, secrets, 60_000);
    const merchants = await dataSource.getRepository(MerchantEntity).find({ order: { merchantId: 'ASC' } });
    expect(merchants.map((m) => [m.merchantId, m.channel])).toEqual([
      ['MERCHANT0000001', 'ams'],
      ['MERCHANT0000002', 'openapi'],
      ['MERCHANT0000003', 'mapi'],
      ['MERCHANT0000004', 'openapi'],
      ['MERCHANT0000005', 'ams'],
    ]);
    expect(merchants[0].credentialsSealed).not.toContain('PRIVATE KEY');
    expect(JSON.parse(secrets.openText(merchants[0].credentialsSealed, sealedIn.merchantCredentials('MERCHANT0000001')))).toMatchObject({ channel: 'ams' });
    expect(await dataSource.getRepository(TerminalEntity).count()).toBe(50);
    expect(await dataSource.getRepository(TerminalEntity).countBy({ dialect: 'nac-bcd' })).toBe(25);
    expect(
      (await dataSource.getRepository(TerminalEntity).findOneByOrFail({ terminalId: 'TERM0006' })).dialect,
    ).toBe('nac-bcd');
  });

  it('seeds the ISV demo merchants unauthorized, with five ascii and five nac-bcd terminals each', async () => {
    const terminals = await dataSource.getRepository(TerminalEntity).find({ order: { terminalId: 'ASC' } });
    const of = (merchantId: string) =>
      terminals.filter((t) => t.merchantId === merchantId).map((t) => `${t.terminalId}:${t.dialect}`);
    const range = (first: number) =>
      Array.from({ length: 10 }, (_, i) => `TERM${String(first + i).padStart(4, '0')}:${i < 5 ? 'ascii' : 'nac-bcd'}`);
    expect(of('MERCHANT0000004')).toEqual(range(31));
    expect(of('MERCHANT0000005')).toEqual(range(41));
    for (const [merchantId, channel, isvMerchantId] of [
      ['MERCHANT0000004', 'openapi', '2021000000000004'],
      ['MERCHANT0000005', 'ams', 'SANDBOX_5Y00000000000005'],
    ] as const) {
      const row = await dataSource.getRepository(MerchantEntity).findOneByOrFail({ merchantId });
      expect(row.agentTokenSealed).toBeNull();
      expect(JSON.parse(secrets.openText(row.credentialsSealed, sealedIn.merchantCredentials(merchantId)))).toMatchObject({
        channel,
        isvMerchantId,
      });
    }
  });

  it('finds terminals with their merchant, timeout and decrypted MAC key', async () => {
    const uow = new UnitOfWork(dataSource);
    const macKey = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    await dataSource
      .getRepository(TerminalEntity)
      .update({ terminalId: 'TERM0012' }, { macKeySealed: secrets.seal(macKey, sealedIn.terminalMacKey('TERM0012')) });
    const directory = new TypeOrmTerminalDirectory(uow, secrets);
    expect(await directory.find('TERM0012')).toEqual({
      terminalId: 'TERM0012',
      merchantId: 'MERCHANT0000002',
      dialect: 'ascii',
      status: 'active',
      merchantTimeoutMs: 60_000,
      macKey,
    });
    expect(await directory.find('NOPE0001')).toBeUndefined();
  });

  it('routes a merchant in one call, with nothing asked before: its profile, channel and call context', async () => {
    const catalog = new MerchantCatalog(new UnitOfWork(dataSource), secrets, {
      sandboxUrl: 'http://127.0.0.1:9',
      alipayCallTimeoutMs: 1_000,
    });
    const route = await catalog.route('MERCHANT0000002', 'TERM0012');
    expect(route?.merchant).toMatchObject({
      merchantId: 'MERCHANT0000002',
      channel: 'openapi',
      status: 'active',
    });
    expect(route?.channel.name).toBe('openapi');
    expect(route?.context).toMatchObject({ merchantId: 'MERCHANT0000002', terminalId: 'TERM0012' });
    // Cached per merchant, yet each terminal gets its own context.
    expect((await catalog.route('MERCHANT0000002', 'TERM0013'))?.context.terminalId).toBe('TERM0013');
    expect(await catalog.route('MERCHANT9999999', 'TERM0012')).toBeUndefined();
  });

  it('gives each merchant NOTIFY_BASE_URL/notifications/<channel> as the notify URL its pay calls announce; an ISV merchant without a token is not authorized', async () => {
    const catalog = new MerchantCatalog(new UnitOfWork(dataSource), secrets, {
      sandboxUrl: 'http://127.0.0.1:9',
      alipayCallTimeoutMs: 1_000,
      notifyBaseUrl: 'https://switch.example/alipay',
    });
    for (const [merchantId, terminalId, channel] of [
      ['MERCHANT0000001', 'TERM0001', 'ams'],
      ['MERCHANT0000002', 'TERM0011', 'openapi'],
      ['MERCHANT0000003', 'TERM0021', 'mapi'],
    ] as const) {
      expect((await catalog.route(merchantId, terminalId))?.merchant.notifyUrl).toBe(
        `https://switch.example/alipay/notifications/${channel}`,
      );
    }
    const isv = (await catalog.route('MERCHANT0000005', 'TERM0041'))?.merchant;
    expect(isv).toMatchObject({ status: 'suspended', agentToken: undefined });
  });

  it('stores times in UTC with millisecond precision', async () => {
    const at = new Date('2026-11-22T23:59:58.123Z');
    await dataSource.getRepository(TerminalEntity).update({ terminalId: 'TERM0001' }, { updatedAt: at });
    const row = await dataSource.getRepository(TerminalEntity).findOneByOrFail({ terminalId: 'TERM0001' });
    expect(row.updatedAt.toISOString()).toBe(at.toISOString());
  });
});

describe('the MariaDB pool', () => {
  const database = useMigratedDatabase(createMysqlTestDatabase);

  it('gives each connection a small statement cache: nothing prepares statements', async () => {
    interface PooledConnection {
      config: { maxPreparedStatements: number };
      release(): void;
    }
    const pool = (database.dataSource.driver as unknown as { pool: { getConnection(cb: (err: Error | null, c: PooledConnection) => void): void } }).pool;
    const connection = await new Promise<PooledConnection>((resolve, reject) =>
      pool.getConnection((err, c) => (err ? reject(err) : resolve(c))),
    );
    expect(connection.config.maxPreparedStatements).toBe(16);
    connection.release();
  });
});
