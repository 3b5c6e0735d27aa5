import { capture } from './capture.testing';
import { createLogger } from './logger';

// Every name the redaction knows (src/logging/redact.ts), and spellings of some of them.
const SECRETS = [
  'merchantPrivateKey', 'privateKey', 'alipayPrivateKey', 'md5Key', 'macKey', 'agentToken', 'accessToken',
  'appAuthToken', 'refreshToken', 'paymentCode', 'password', 'saslPassword', 'secret', 'apiKey',
  'authorization', 'signature', 'sign', 'dataEncryptionKey', 'paymentCodeHashKey', 'clientSecret', 'authCode',
  'auth_code', 'payment_code', 'mac_key',
];


/** `{ a: { b: { ... { [key]: value } } } }`, `depth` levels down. */
function nestedAt(depth: number, key: string, value: string): Record<string, unknown> {
  let object: Record<string, unknown> = { [key]: value, keep: `visible-${depth}` };
  for (let level = 0; level < depth; level++) object = { [`level${level}`]: object };
  return object;
}

describe('log redaction through pino', () => {
  it.each(SECRETS)('removes %s at every depth, in arrays and in child bindings', (key) => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    const values: string[] = [];
    for (let depth = 0; depth <= 6; depth++) {
      const value = `secret-${key}-${depth}-value`;
      values.push(value);
      logger.info(nestedAt(depth, key, value), 'line');
    }
    const inArray = `secret-${key}-array`;
    logger.info({ items: [{ id: 1 }, { [key]: inArray }] }, 'array');
    const bound = `secret-${key}-bound`;
    logger.child({ [key]: bound, component: 'x' }).info({ a: 1 }, 'child');
    const grandchild = `secret-${key}-grandchild`;
    logger.child({ component: 'y' }).child({ nested: { [key]: grandchild } }).info({ a: 2 }, 'grandchild');
    values.push(inArray, bound, grandchild);

    const output = lines.join('');
    for (const value of values) expect(output).not.toContain(value);
    expect(output).toContain('[redacted]');
    for (let depth = 0; depth <= 6; depth++) expect(output).toContain(`visible-${depth}`);
  });

  it('redacts keys spelled as headers and leaves the caller’s object unchanged', () => {
    const { lines, stream } = capture();
    const headers = { 'agent-token': 'tok-abc', signature: 'algorithm=RSA256,signature=xyz', 'content-type': 'application/json' };
    createLogger('info', stream).info({ request: { headers } }, 'call');
    expect(lines.join('')).not.toContain('tok-abc');
    expect(lines.join('')).not.toContain('signature=xyz');
    expect(lines.join('')).toContain('application/json');
    expect(headers['agent-token']).toBe('tok-abc');
  });

  it('still writes errors with their message', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).error({ err: new Error('database went away') }, 'failed');
    expect(JSON.parse(lines[0])).toMatchObject({ err: { message: 'database went away' } });
  });
});
