import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { problemsOf } from './config-problems.testing';

const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
const pem = (name: string, label: string) => {
  const path = join(dir, name);
  writeFileSync(path, `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`);
  return path;
};
const CA = pem('ca.pem', 'CERTIFICATE');
const CERT = pem('client.pem', 'CERTIFICATE');
const KEY = pem('client.key', 'PRIVATE KEY');
const NOT_PEM = join(dir, 'not.pem');
writeFileSync(NOT_PEM, 'hello');

const brokers = { KAFKA_BROKERS: 'kafka-1.internal:9093' };


describe('Kafka TLS and SASL settings', () => {
  it('passes TLS files (read at start) and SASL credentials to the Kafka client config', () => {
    const { kafka } = loadConfig({
      ...brokers,
      KAFKA_TLS_CA_FILE: CA,
      KAFKA_TLS_CERT_FILE: CERT,
      KAFKA_TLS_KEY_FILE: KEY,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'switch',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(kafka?.tls).toEqual({
      ca: expect.stringContaining('BEGIN CERTIFICATE') as unknown,
      cert: expect.stringContaining('BEGIN CERTIFICATE') as unknown,
      key: expect.stringContaining('BEGIN PRIVATE KEY') as unknown,
      rejectUnauthorized: true,
    });
    expect(kafka?.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'switch', password: 'pw' });
  });

  it('is plaintext without SASL when nothing is set, and TLS with the system CAs on KAFKA_TLS=true', () => {
    const { kafka } = loadConfig(brokers);
    expect([kafka?.tls, kafka?.sasl]).toEqual([undefined, undefined]);
    expect(loadConfig({ ...brokers, KAFKA_TLS: 'true' }).kafka?.tls).toEqual({ rejectUnauthorized: true });
  });

  it('names each bad setting', () => {
    const problems = problemsOf({
      ...brokers,
      KAFKA_TLS: 'false',
      KAFKA_TLS_CA_FILE: join(dir, 'missing.pem'),
      KAFKA_TLS_CERT_FILE: NOT_PEM,
      KAFKA_SASL_MECHANISM: 'gssapi',
    });
    expect(problems).toMatch(/KAFKA_TLS_CA_FILE: cannot read ".*missing.pem" \(ENOENT\)/);
    expect(problems).toMatch(/KAFKA_TLS_CERT_FILE: ".*not.pem" is not PEM/);
    expect(problems).toMatch(/KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together/);
    expect(problems).toMatch(/KAFKA_TLS_\*_FILE is set but KAFKA_TLS is false/);
    expect(problems).toMatch(/KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512/);
    expect(problemsOf({ ...brokers, KAFKA_SASL_MECHANISM: 'plain' })).toMatch(/KAFKA_SASL_USERNAME is required[\s\S]*KAFKA_SASL_PASSWORD is required/);
    expect(problemsOf({ ...brokers, KAFKA_SASL_PASSWORD: 'pw' })).toMatch(/KAFKA_SASL_MECHANISM is not/);
  });

  it('refuses SASL in clear and unchecked certificates in production', () => {
    const production = { ...brokers, NODE_ENV: 'production', PAYMENT_CODE_HASH_KEY: 'ab'.repeat(32), DATA_ENCRYPTION_KEY: 'cd'.repeat(32) };
    expect(problemsOf({ ...production, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toMatch(
      /KAFKA_SASL_MECHANISM without KAFKA_TLS is refused when NODE_ENV=production/,
    );
    expect(problemsOf({ ...production, KAFKA_TLS: 'true', KAFKA_TLS_REJECT_UNAUTHORIZED: 'false' })).toMatch(
      /KAFKA_TLS_REJECT_UNAUTHORIZED=false is refused/,
    );
  });
});
