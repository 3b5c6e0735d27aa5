/** `npm run keys`: fresh switch keys the config accepts, RSA-2048 pairs the Alipay signers use, and re-sealing under a new DATA_ENCRYPTION_KEY. */
import { createSign, createVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey, loadPublicKey } from '@switch/alipay';
import { loadConfig } from '../../../src/config/app-config';
import { openDatabase } from '../../../src/persistence/data-source';
import { SecretBox, sealedIn } from '../../../src/persistence/secret-box';
import { seedDemoData } from '../../../src/persistence/seed/demo-data';
import { saveSqliteFile } from '../../../src/persistence/sqlite-file';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { runKeysCli } from '../../../tools/keys';
import { createSqliteTestDatabase } from '../../support/databases';

async function keys(
  ...args: Array<string | Record<string, string>>
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const env = args.find((a): a is Record<string, string> => typeof a !== 'string');
  const code = await runKeysCli(
    args.filter((a): a is string => typeof a === 'string'),
    (line) => lines.push(line),
    env ?? {},
  );
  return { code, lines };
}

function signsAndVerifies(privatePem: string, publicText: string): boolean {
  const signature = createSign('RSA-SHA256').update('payload').sign(loadPrivateKey(privatePem));
  return createVerify('RSA-SHA256').update('payload').verify(loadPublicKey(publicText), signature);
}

describe('npm run keys', () => {
  it('prints two different 64-hex keys that a production config accepts', async () => {
    const { code, lines } = await keys();
    expect(code).toBe(0);
    const env = Object.fromEntries(lines.map((line) => line.split('=') as [string, string]));
    expect(Object.keys(env)).toEqual(['PAYMENT_CODE_HASH_KEY', 'DATA_ENCRYPTION_KEY']);
    expect(env.PAYMENT_CODE_HASH_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(env.DATA_ENCRYPTION_KEY).not.toBe(env.PAYMENT_CODE_HASH_KEY);
    const config = loadConfig({ NODE_ENV: 'production', ...env });
    expect(config.secrets.dataEncryptionKey.toString('hex')).toBe(env.DATA_ENCRYPTION_KEY);
  });

  it('writes an RSA-2048 pair (private 0600, never overwritten) that signs and verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const { code, lines } = await keys('rsa', '--out', dir, '--name', 'm1');
    expect(code).toBe(0);
    const privatePem = readFileSync(join(dir, 'm1-private.pem'), 'utf8');
    const publicPem = readFileSync(join(dir, 'm1-public.pem'), 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(join(dir, 'm1-private.pem')).mode & 0o777).toBe(0o600);
    expect(loadPrivateKey(privatePem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(signsAndVerifies(privatePem, publicPem)).toBe(true);
    const bare = lines.find((line) => line.startsWith("public key for Alipay's console: "))!.split(': ')[1];
    expect(signsAndVerifies(privatePem, bare)).toBe(true);
    await expect(keys('rsa', '--out', dir, '--name', 'm1')).rejects.toThrow(/EEXIST/);
  });

  it('prints the pair without --out and refuses unknown arguments', async () => {
    const { lines } = await keys('rsa');
    expect(lines[0]).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await keys('rsa', '--bits', '1024')).code).toBe(64);
    expect((await keys('aes')).code).toBe(64);
  });
});

describe('npm run keys -- reseal (DATA_ENCRYPTION_KEY rotation)', () => {
  const OLD = 'a'.repeat(64);
  const NEW = 'b'.repeat(64);

  it('re-seals every sealed column under the new key, is harmless to rerun, and refuses a wrong old key', async () => {
    const db = createSqliteTestDatabase();
    const env = { SQLITE_PATH: db.config.sqlitePath, OLD_DATA_ENCRYPTION_KEY: OLD, DATA_ENCRYPTION_KEY: NEW };
    const seeded = await openDatabase(db.config);
    const oldBox = new SecretBox(Buffer.from(OLD, 'hex'));
    await seedDemoData(new UnitOfWork(seeded), oldBox, 60_000);
    await seeded.query("UPDATE terminals SET mac_key_sealed = ? WHERE terminal_id = 'TERM0001'", [
      oldBox.seal(Buffer.alloc(16, 7), sealedIn.terminalMacKey('TERM0001')),
    ]);
    await saveSqliteFile(seeded);
    await seeded.destroy();

    const first = await keys('reseal', env);
    expect(first.code).toBe(0);
    expect(first.lines).toContain('merchants.credentials_sealed: 5 re-sealed, 0 already under the new key');
    expect(first.lines).toContain('terminals.mac_key_sealed: 1 re-sealed, 0 already under the new key');

    const after = await openDatabase(db.config);
    const newBox = new SecretBox(Buffer.from(NEW, 'hex'));
    const rows = await after.query<Array<{ merchant_id: string; credentials_sealed: string }>>(
      'SELECT merchant_id, credentials_sealed FROM merchants',
    );
    for (const row of rows) {
      const context = sealedIn.merchantCredentials(row.merchant_id);
      expect(JSON.parse(newBox.openText(row.credentials_sealed, context))).toHaveProperty('channel');
      expect(() => oldBox.open(row.credentials_sealed, context)).toThrow();
    }
    const [mac] = await after.query<Array<{ mac_key_sealed: string }>>(
      "SELECT mac_key_sealed FROM terminals WHERE terminal_id = 'TERM0001'",
    );
    expect(newBox.open(mac.mac_key_sealed, sealedIn.terminalMacKey('TERM0001'))).toEqual(Buffer.alloc(16, 7));
    await after.destroy();

    expect((await keys('reseal', env)).lines).toContain(
      'merchants.credentials_sealed: 0 re-sealed, 5 already under the new key',
    );
    await expect(keys('reseal', { ...env, DATA_ENCRYPTION_KEY: 'c'.repeat(64) })).rejects.toThrow(
      /merchants\.credentials_sealed \(merchant_id=MERCHANT0000001\) opens with neither/,
    );
    expect((await keys('reseal', { SQLITE_PATH: db.config.sqlitePath })).code).toBe(64);
  });
});
