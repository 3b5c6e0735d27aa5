/**
 * Reconciliation settings (docs/operations.md, "Reconciliation"). Read with the rest of the config, so a
 * bad value stops the start with a message naming the setting.
 */
import type { ChannelName } from '@switch/alipay';
import type { EnvReader } from '../config/env-reader';

/** Where a channel's files are fetched over SFTP. */
export interface SftpEndpoint {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** SHA-256 of the server's host key (base64, as after `SHA256:`); the connection is refused otherwise. */
  readonly hostKeySha256?: string;
}

export interface ReconciliationConfig {
  /** "HH:MM" UTC of the daily run; undefined: no daily run. */
  readonly dailyAtUtc?: string;
  readonly channels: readonly ChannelName[];
  /** AMS and MAPI file servers; undefined with the embedded sandbox means "the sandbox's". */
  readonly amsSftp?: SftpEndpoint;
  readonly mapiSftp?: SftpEndpoint;
  /** How long a run waits for the cancels of orphan debits it ordered to be confirmed. */
  readonly cancelWaitMs: number;
}

const CHANNELS: readonly ChannelName[] = ['ams', 'openapi', 'mapi'];

export function readReconciliationConfig(read: EnvReader): ReconciliationConfig {
  const dailyAtUtc = read.optionalString('RECON_DAILY_AT');
  if (dailyAtUtc !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(dailyAtUtc))
    read.problem(`RECON_DAILY_AT must be HH:MM (UTC), got "${dailyAtUtc}"`);
  const channelsText = read.string('RECON_CHANNELS', CHANNELS.join(','));
  const channels = channelsText.split(',').map((c) => c.trim()) as ChannelName[];
  if (channels.length === 0 || !channels.every((c) => CHANNELS.includes(c)))
    read.problem(
      `RECON_CHANNELS must be a comma-separated subset of ams,openapi,mapi, got "${channelsText}"`,
    );
  return {
    ...(dailyAtUtc !== undefined ? { dailyAtUtc } : {}),
    channels,
    ...sftp(read, 'RECON_AMS_SFTP', 'RECON_AMS_SFTP_HOST_KEY', 'amsSftp'),
    ...sftp(read, 'RECON_MAPI_SFTP', 'RECON_MAPI_SFTP_HOST_KEY', 'mapiSftp'),
    cancelWaitMs: read.integer('RECON_CANCEL_WAIT_MS', 60_000, { min: 0, max: 3_600_000 }),
  };
}

/** `sftp://user:password@host:port` plus its host key setting, which a remote server must have. */
function sftp(
  read: EnvReader,
  name: string,
  hostKeyName: string,
  key: 'amsSftp' | 'mapiSftp',
): Partial<ReconciliationConfig> {
  const text = read.optionalString(name);
  if (text === undefined) return {};
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    read.problem(`${name} must be sftp://user:password@host[:port]`);
    return {};
  }
  if (url.protocol !== 'sftp:' || !url.hostname || !url.username) {
    read.problem(`${name} must be sftp://user:password@host[:port]`);
    return {};
  }
  const hostKeySha256 = read.optionalString(hostKeyName)?.replace(/^SHA256:/, '');
  if (hostKeySha256 === undefined)
    read.problem(`${hostKeyName} is required with ${name} (the server's SHA256 host key fingerprint)`);
  const endpoint: SftpEndpoint = {
    host: url.hostname,
    port: url.port ? Number(url.port) : 22,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    ...(hostKeySha256 !== undefined ? { hostKeySha256 } : {}),
  };
  return { [key]: endpoint };
}
