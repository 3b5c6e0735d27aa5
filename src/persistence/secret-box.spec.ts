import { createCipheriv, randomBytes } from 'node:crypto';
import { SecretBox, sealedIn } from './secret-box';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

/** A value in the first format (no key id, no associated data), as rows written before rotation hold. */
function legacySeal(key: Buffer, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', nonce.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

describe('SecretBox', () => {
  it('binds a value to its row: copied into another row, it does not open', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal('0123456789abcdef', sealedIn.terminalMacKey('TERM0001'));
    expect(box.openText(sealed, sealedIn.terminalMacKey('TERM0001'))).toBe('0123456789abcdef');
    expect(() => box.open(sealed, sealedIn.terminalMacKey('TERM0002'))).toThrow();
    expect(() => box.open(sealed, sealedIn.merchantCredentials('TERM0001'))).toThrow();
  });

  it('names its key, and a relabelled key id does not open', () => {
    const box = new SecretBox(k1, [k2]);
    const sealed = box.seal('secret', 'ctx');
    expect(sealed.startsWith('v2:k1:')).toBe(true);
    expect(() => box.open(sealed.replace('v2:k1:', 'v2:k2:'), 'ctx')).toThrow();
  });

  it('rotates: after the switch to a new key, old values still open and new ones use the new key', () => {
    const before = new SecretBox(k1);
    const old = before.seal('merchant private key', 'ctx');
    const after = new SecretBox(k2, [k1]);
    expect(after.openText(old, 'ctx')).toBe('merchant private key');
    expect(after.isStale(old)).toBe(true);
    const fresh = after.seal('merchant private key', 'ctx');
    expect(fresh.startsWith('v2:k2:')).toBe(true);
    expect(after.isStale(fresh)).toBe(false);
    expect(() => before.open(fresh, 'ctx')).toThrow(/no data key "k2"/);
    expect(() => new SecretBox(k2).open(old, 'ctx')).toThrow(/no data key "k1"/);
  });

  it('still opens values of the first format under any key of the ring', () => {
    const legacy = legacySeal(k1.key, 'token');
    expect(new SecretBox(k2, [k1]).openText(legacy, 'anything')).toBe('token');
    expect(new SecretBox(k2, [k1]).isStale(legacy)).toBe(true);
    expect(() => new SecretBox(k2).open(legacy, 'anything')).toThrow(/no key of the ring/);
  });
});
