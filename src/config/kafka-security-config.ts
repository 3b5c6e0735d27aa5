import { readFileSync } from 'node:fs';
import type { EnvReader } from './env-reader';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** TLS to the brokers: kafkajs's `ssl` (node tls options); PEM contents read from the files at start. */
export interface KafkaTlsConfig {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized: boolean;
}

export interface KafkaSaslConfig {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

const MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/**
 * KAFKA_TLS* and KAFKA_SASL_*: how the switch authenticates to the brokers and protects the link. Checked
 * at start: files must be readable PEM, a mechanism needs a user and a password, and production refuses
 * credentials or certificates sent in clear (SASL without TLS) and TLS without certificate checks.
 */
export function readKafkaSecurity(read: EnvReader, production: boolean): { tls?: KafkaTlsConfig; sasl?: KafkaSaslConfig } {
  const files = {
    ca: pemFile(read, 'KAFKA_TLS_CA_FILE'),
    cert: pemFile(read, 'KAFKA_TLS_CERT_FILE'),
    key: pemFile(read, 'KAFKA_TLS_KEY_FILE'),
  };
  const anyFile = Object.values(files).some((value) => value !== undefined);
  const tlsOn = read.boolean('KAFKA_TLS', anyFile);
  const rejectUnauthorized = read.boolean('KAFKA_TLS_REJECT_UNAUTHORIZED', true);
  if (anyFile && !tlsOn) read.problem('KAFKA_TLS_*_FILE is set but KAFKA_TLS is false');
  if ((files.cert === undefined) !== (files.key === undefined))
    read.problem('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together (client certificate and its key)');
  if (production && tlsOn && !rejectUnauthorized)
    read.problem('KAFKA_TLS_REJECT_UNAUTHORIZED=false is refused when NODE_ENV=production');
  const tls = tlsOn ? { ...files, rejectUnauthorized } : undefined;

  const mechanism = read.optionalString('KAFKA_SASL_MECHANISM')?.toLowerCase();
  const username = read.optionalString('KAFKA_SASL_USERNAME');
  const password = read.optionalString('KAFKA_SASL_PASSWORD');
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined)
      read.problem('KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD are set but KAFKA_SASL_MECHANISM is not');
    return { tls };
  }
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    read.problem(`KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.join(', ')}, got "${mechanism}"`);
    return { tls };
  }
  if (username === undefined) read.problem(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  if (password === undefined) read.problem(`KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  if (production && !tlsOn) read.problem('KAFKA_SASL_MECHANISM without KAFKA_TLS is refused when NODE_ENV=production (credentials in clear)');
  return { tls, sasl: { mechanism: mechanism as KafkaSaslMechanism, username: username ?? '', password: password ?? '' } };
}

function pemFile(read: EnvReader, name: string): string | undefined {
  const path = read.optionalString(name);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    read.problem(`${name}: cannot read "${path}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) read.problem(`${name}: "${path}" is not PEM`);
  return text;
}
