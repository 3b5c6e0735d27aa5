import { loadConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';
import { withoutSecrets } from './audit/audit-trail';
import { decodeCursor, encodeCursor, pageLimit } from './http/paging';
import { AdminProblem } from './http/problem';
import { roleAllows } from './keys/roles';

describe('admin settings', () => {
  it('binds HTTP to 127.0.0.1 unless HTTP_HOST says otherwise', () => {
    expect(loadConfig({}).http.host).toBe('127.0.0.1');
    expect(loadConfig({ HTTP_HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
  });

  it('takes an ADMIN_BOOTSTRAP_KEY of at least 32 characters and names a shorter one', () => {
    expect(loadConfig({ ADMIN_BOOTSTRAP_KEY: 'k'.repeat(32) }).admin.bootstrapKey).toBe('k'.repeat(32));
    expect(loadConfig({}).admin.bootstrapKey).toBeUndefined();
    expect(() => loadConfig({ ADMIN_BOOTSTRAP_KEY: 'k'.repeat(31) })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_BOOTSTRAP_KEY: 'short' })).toThrow(/ADMIN_BOOTSTRAP_KEY must be at least 32 characters/);
  });
});

describe('admin building blocks', () => {
  it('ranks roles viewer < operator < admin', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });

  it('pages with limit 1-200 and cursors it made itself', () => {
    expect(pageLimit(undefined)).toBe(50);
    expect(pageLimit('200')).toBe(200);
    for (const bad of ['0', '201', '1.5', 'ten']) expect(() => pageLimit(bad)).toThrow(AdminProblem);
    expect(decodeCursor(encodeCursor(['2026-12-05 00:00:00.000', 'abc']), 2)).toEqual(['2026-12-05 00:00:00.000', 'abc']);
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(AdminProblem);
    expect(() => decodeCursor('%%%', 1)).toThrow(AdminProblem);
  });

  it('keeps secrets out of audit before/after whatever a caller passes', () => {
    expect(
      withoutSecrets({
        name: 'x',
        key: 'swk_1',
        credentials: { channel: 'mapi', partner: '2088', md5Key: 'm' },
        macKey: { set: true, keyCheckValue: 'ABCDEF' },
        nested: [{ macKey: 'k', merchantPrivateKey: 'p', agentToken: Buffer.from('t'), keyId: 'id' }],
      }),
    ).toEqual({
      name: 'x',
      key: '[redacted]',
      credentials: { channel: 'mapi', partner: '2088', md5Key: '[redacted]' },
      macKey: { set: true, keyCheckValue: 'ABCDEF' },
      nested: [{ macKey: '[redacted]', merchantPrivateKey: '[redacted]', agentToken: '[redacted]', keyId: 'id' }],
    });
  });
});
