/**
 * `npm run sandbox`: the Alipay emulator (AMS, Open Platform and MAPI on one port) for manual runs, the POS
 * simulator and end-to-end checks. Stops cleanly on SIGINT / SIGTERM.
 *
 * Environment (all optional):
 *   SANDBOX_HOST                     default 127.0.0.1
 *   SANDBOX_PORT                     default 8585 (0 = any free port)
 *   SANDBOX_NO_ANSWER_HOLD_MS        code ...004: how long pay's answer is withheld (default 30000)
 *   SANDBOX_AUTO_CONFIRM_INQUIRIES   code ...001: inquiries answering "processing" first (default 2)
 *   SANDBOX_NOTIFY_RETRY_DELAYS_MS   comma-separated retry schedule (default Alipay's, about 25 h)
 *   SANDBOX_LOG_LEVEL                default info (debug logs every API call)
 */
import pino from 'pino';
import {
  DEFAULT_SANDBOX_HOST,
  DEFAULT_SANDBOX_PORT,
  SANDBOX_CREDENTIALS_PATH,
  SandboxOptions,
  startSandbox,
} from '@switch/alipay';
import { createLogger } from '../src/logging/logger';

/** Reads the environment once; a bad start names every bad variable at the same time. */
function optionsFromEnv(
  env: NodeJS.ProcessEnv,
): { options: SandboxOptions; level: string } | { problems: string[] } {
  const problems: string[] = [];
  const int = (name: string, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value > max) problems.push(`${name}=${raw} (an integer 0..${max})`);
    return value;
  };
  const port = int('SANDBOX_PORT', 65535) ?? DEFAULT_SANDBOX_PORT;
  const noAnswerHoldMs = int('SANDBOX_NO_ANSWER_HOLD_MS', 2_147_483_647);
  const autoConfirmInquiries = int('SANDBOX_AUTO_CONFIRM_INQUIRIES', 1000);
  let notifyRetryDelaysMs: number[] | undefined;
  const delays = env.SANDBOX_NOTIFY_RETRY_DELAYS_MS;
  if (delays) {
    const parts = delays.split(',').map((s) => s.trim());
    if (parts.every((p) => /^\d+$/.test(p))) notifyRetryDelaysMs = parts.map(Number);
    else problems.push(`SANDBOX_NOTIFY_RETRY_DELAYS_MS=${delays} (comma-separated integers)`);
  }
  const level = env.SANDBOX_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    problems.push(`SANDBOX_LOG_LEVEL=${level} (fatal|error|warn|info|debug|trace|silent)`);
  }
  if (problems.length > 0) return { problems };
  const options: SandboxOptions = { host: env.SANDBOX_HOST || DEFAULT_SANDBOX_HOST, port };
  if (noAnswerHoldMs !== undefined) options.noAnswerHoldMs = noAnswerHoldMs;
  if (autoConfirmInquiries !== undefined) options.autoConfirmInquiries = autoConfirmInquiries;
  if (notifyRetryDelaysMs) options.notifyRetryDelaysMs = notifyRetryDelaysMs;
  return { options, level };
}

async function main(): Promise<void> {
  const config = optionsFromEnv(process.env);
  if ('problems' in config) {
    process.stderr.write(`alipay sandbox: bad environment:\n  ${config.problems.join('\n  ')}\n`);
    process.exit(2);
  }
  // Asynchronous writes: a load test must not wait on the terminal.
  const log = createLogger(config.level, pino.destination({ sync: false })).child({
    component: 'alipay-sandbox',
  });
  const sandbox = await startSandbox({
    ...config.options,
    logger: (event) => {
      if ((event as { event?: string }).event === 'api') log.debug(event);
      else log.info(event);
    },
  });
  log.info(
    { url: sandbox.url, credentials: SANDBOX_CREDENTIALS_PATH },
    `Alipay sandbox listening on ${sandbox.url}`,
  );
  // What a switch needs in RECON_AMS_SFTP / RECON_MAPI_SFTP (+ _HOST_KEY) to fetch the reconciliation files.
  log.info(
    {
      sftp: `sftp://${sandbox.sftp.username}:${sandbox.sftp.password}@${sandbox.sftp.host}:${sandbox.sftp.port}`,
      hostKey: `SHA256:${sandbox.sftp.hostKeySha256}`,
    },
    'reconciliation files over SFTP',
  );

  const stop = (signal: string): void => {
    log.info({ signal }, 'Alipay sandbox stopping');
    void sandbox.close().then(() => {
      log.flush();
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `alipay sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
