import { amsNotificationFormat } from './ams/ams.notification';
import { AppControl } from './app/app-control';
import { AppUsers } from './app/app-users';
import { SandboxContext } from './context';
import { SandboxControl } from './control';
import { loadSandboxCredentials, validateSandboxCredentials } from './credentials';
import { SandboxHttpServer } from './http/server';
import { SandboxIds } from './ids';
import { loadSandboxKeys } from './keys';
import { Ledger } from './ledger';
import { mapiNotificationFormat } from './mapi/mapi.notification';
import { Notifier } from './notifier';
import { IssuedNotifyIds } from './notify/issued-notify-ids';
import { NotifyControl } from './notify/notify-control';
import { IsvControl } from './isv/isv-control';
import { IsvRegistry } from './isv/isv-registry';
import { openapiNotificationFormat } from './openapi/openapi.notification';
import { resolveSandboxOptions, RunningSandbox, SandboxOptions } from './options';
import { SandboxPayments } from './payments';
import { SandboxStatements } from './statements/sandbox-statements';
import { startStatementSftp } from './statements/sftp-server';

/**
 * Starts the Alipay emulator: one HTTP server speaking AMS, Open Platform and MAPI with real signatures,
 * a ledger, the behaviour table by payment-code suffix, notifications with retries, and /sandbox control.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const resolved = resolveSandboxOptions(options);
  const credentials = options.credentials
    ? validateSandboxCredentials(JSON.parse(JSON.stringify(options.credentials)) as unknown)
    : loadSandboxCredentials();
  const keys = loadSandboxKeys(credentials);
  const now = (): Date => new Date();
  const log = resolved.logger;
  const ids = new SandboxIds();
  const ledger = new Ledger();
  const issuedNotifyIds = new IssuedNotifyIds();
  const formats = {
    ams: amsNotificationFormat(credentials, keys, now),
    openapi: openapiNotificationFormat(credentials, keys, now),
    mapi: mapiNotificationFormat(credentials, keys, now, issuedNotifyIds),
  };
  const notifier = new Notifier(
    formats,
    resolved.notifyRetryDelaysMs,
    ids,
    now,
    log,
  );
  const payments = new SandboxPayments(ledger, ids, {
    autoConfirmInquiries: resolved.autoConfirmInquiries,
    now,
    onFinal: (payment) => notifier.onFinal(payment),
  });
  const isv = new IsvRegistry(now);
  const statements = new SandboxStatements(ledger, ids, credentials, now);
  const appUsers = new AppUsers(now);
  const ctx: SandboxContext = { credentials, keys, ledger, payments, ids, now, log, issuedNotifyIds, isv, statements, appUsers };
  const notifyControl = new NotifyControl(ctx, notifier, formats);
  const server = new SandboxHttpServer(ctx, new SandboxControl(ctx, notifier, [notifyControl, new IsvControl(ctx, notifier), new AppControl(ctx)]), resolved.noAnswerHoldMs);
  const port = await server.listen(resolved.host, resolved.port);
  const url = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;
  statements.baseUrl = url;
  const sftpLogin = options.sftpLogin ?? { username: 'recon', password: 'sandbox' };
  const sftp = await startStatementSftp(
    (path) => statements.file(path),
    sftpLogin,
    resolved.host,
    options.sftpPort ?? 0,
    (path) => statements.directory(path),
  );
  log({ event: 'started', url, sftpPort: sftp.port });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    credentials,
    sftp: { host: sftp.host, port: sftp.port, hostKeySha256: sftp.hostKeySha256, ...sftpLogin },
    close() {
      closing ??= (async () => {
        notifier.close();
        notifyControl.close();
        await server.close();
        await sftp.close();
        log({ event: 'stopped', url });
      })();
      return closing;
    },
  };
}
