import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, rsaSign, rsaSignAsync, rsaVerify, signOnThreadPool } from '../src/signing';

describe('rsaSignAsync', () => {
  const pair = generateRsaKeyPair();
  const privateKey = loadPrivateKey(pair.privateKeyPem);
  const publicKey = loadPublicKey(pair.publicKeyPem);
  afterEach(() => signOnThreadPool(false));

  it.each([
    ['inline', false],
    ['on the thread pool', true],
  ])('signs %s exactly as rsaSign does (PKCS#1 v1.5 is deterministic)', async (_where, pool) => {
    signOnThreadPool(pool);
    const signature = await rsaSignAsync('a=1&b=2', privateKey, 'RSA2');
    expect(signature).toBe(rsaSign('a=1&b=2', privateKey, 'RSA2'));
    expect(rsaVerify('a=1&b=2', signature, publicKey, 'RSA2')).toBe(true);
  });

  it('rejects, never throws, when the key cannot sign', async () => {
    signOnThreadPool(false);
    await expect(rsaSignAsync('x', publicKey as never)).rejects.toThrow();
  });
});
