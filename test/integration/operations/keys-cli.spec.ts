/** `npm run keys`: fresh switch keys the config accepts, and RSA-2048 pairs the Alipay signers load and use. */
import { createSign, createVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey, loadPublicKey } from '@switch/alipay';
import { loadConfig } from '../../../src/config/app-config';
import { runKeysCli } from '../../../tools/keys';

async function keys(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runKeysCli(args, (line) => lines.push(line));
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
