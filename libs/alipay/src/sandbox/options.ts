import { SandboxCredentials } from './credentials';

/** Receives structured events (start, notifications, faults, and one per API call); must not block. */
export type SandboxLogger = (event: object) => void;

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8585; 0 picks an ephemeral port. */
  port?: number;
  /** Default: the committed demo credentials file. */
  credentials?: SandboxCredentials;
  /** Code ...004: how long pay's HTTP answer is withheld before the socket is destroyed (default 30000). */
  noAnswerHoldMs?: number;
  /** Notification retry schedule: the wait before each attempt (default Alipay-like, see DEFAULT_NOTIFY_RETRY_DELAYS_MS). */
  notifyRetryDelaysMs?: number[];
  /** Code ...001: inquiries answering processing before success (default 2). */
  autoConfirmInquiries?: number;
  logger?: (event: object) => void;
  /** SFTP server for the AMS and MAPI reconciliation files (default: an ephemeral port). */
  sftpPort?: number;
  /** Its login (default recon / sandbox). */
  sftpLogin?: { username: string; password: string };
}

export interface RunningSandbox {
  /** http://host:port, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
  credentials: SandboxCredentials;
  /** Where the AMS and MAPI reconciliation files are, and the host key to expect there. */
  sftp: { host: string; port: number; username: string; password: string; hostKeySha256: string };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Alipay's rhythm: at once, then 2m, 10m, 10m, 1h, 2h, 6h, 15h (8 attempts, about 25 hours). */
export const DEFAULT_NOTIFY_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  0,
  2 * MINUTE_MS,
  10 * MINUTE_MS,
  10 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  6 * HOUR_MS,
  15 * HOUR_MS,
]);

export const DEFAULT_SANDBOX_HOST = '127.0.0.1';
export const DEFAULT_SANDBOX_PORT = 8585;
export const DEFAULT_NO_ANSWER_HOLD_MS = 30_000;
export const DEFAULT_AUTO_CONFIRM_INQUIRIES = 2;

/** A sandbox option that cannot work (negative delay, bad port). */
export class SandboxOptionsError extends Error {
  readonly code = 'SANDBOX.OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxOptionsError';
  }
}

export interface ResolvedSandboxOptions {
  host: string;
  port: number;
  noAnswerHoldMs: number;
  notifyRetryDelaysMs: readonly number[];
  autoConfirmInquiries: number;
  logger: SandboxLogger;
}

const ignore: SandboxLogger = () => undefined;

export function resolveSandboxOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const resolved: ResolvedSandboxOptions = {
    host: options.host ?? DEFAULT_SANDBOX_HOST,
    port: options.port ?? DEFAULT_SANDBOX_PORT,
    noAnswerHoldMs: options.noAnswerHoldMs ?? DEFAULT_NO_ANSWER_HOLD_MS,
    notifyRetryDelaysMs: [...(options.notifyRetryDelaysMs ?? DEFAULT_NOTIFY_RETRY_DELAYS_MS)],
    autoConfirmInquiries: options.autoConfirmInquiries ?? DEFAULT_AUTO_CONFIRM_INQUIRIES,
    logger: options.logger ?? ignore,
  };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) problems.push('port');
  if (!isDelay(resolved.noAnswerHoldMs)) problems.push('noAnswerHoldMs');
  if (!resolved.notifyRetryDelaysMs.every(isDelay)) problems.push('notifyRetryDelaysMs');
  if (!Number.isInteger(resolved.autoConfirmInquiries) || resolved.autoConfirmInquiries < 0) {
    problems.push('autoConfirmInquiries');
  }
  if (problems.length > 0) throw new SandboxOptionsError(`invalid sandbox options: ${problems.join(', ')}`);
  return resolved;
}

// setTimeout holds at most 2^31-1 ms.
function isDelay(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 0 && ms <= 2_147_483_647;
}
