import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Server, utils, type Connection } from 'ssh2';

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

/** Answers a path with the file's bytes, or undefined when there is no such file. */
export type StatementFiles = (path: string) => Promise<Buffer | undefined>;

/** The names in a directory, or undefined when there is no such directory. */
export type StatementDirectories = (path: string) => Promise<string[] | undefined>;

export interface SftpLogin {
  readonly username: string;
  readonly password: string;
}

export interface RunningSftp {
  readonly host: string;
  readonly port: number;
  /** SHA-256 of the host key, base64 without padding (as `ssh-keygen -l` prints after `SHA256:`). */
  readonly hostKeySha256: string;
  close(): Promise<void>;
}

/**
 * A read-only SFTP server (ssh2's server, a host key generated at start, password login) whose files are
 * made on open by `files`. Only what a downloader needs: realpath, stat, open for reading, read, close,
 * and the listing of the directories `directories` knows (AMS settlement file names carry a batch id).
 */
export async function startStatementSftp(
  files: StatementFiles,
  login: SftpLogin,
  host: string,
  port: number,
  directories: StatementDirectories = () => Promise.resolve(undefined),
): Promise<RunningSftp> {
  // ECDSA P-256, not ed25519: ssh2 cannot read back about 1 in 250 of the ed25519 keys it generates
  // ("Malformed OpenSSH private key"), which failed a sandbox start now and then.
  const hostKey = utils.generateKeyPairSync('ecdsa', { bits: 256 });
  const parsed = utils.parseKey(hostKey.private);
  if (parsed instanceof Error) throw parsed;
  const hostKeySha256 = createHash('sha256')
    .update(parsed.getPublicSSH())
    .digest('base64')
    .replace(/=+$/, '');
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (
        ctx.method === 'password' &&
        same(ctx.username, login.username) &&
        same(ctx.password, login.password)
      )
        ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => serveFiles(acceptSftp(), files, directories));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    hostKeySha256,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}

function serveFiles(
  sftp: import('ssh2').SFTPWrapper,
  files: StatementFiles,
  directories: StatementDirectories,
): void {
  const open = new Map<string, Buffer>();
  /** Open directory handles: the names not listed yet (all of them go in the first READDIR). */
  const listings = new Map<string, string[] | undefined>();
  let nextHandle = 0;
  const attrsOf = (size: number) => ({ mode: 0o100444, uid: 0, gid: 0, size, atime: 0, mtime: 0 });
  sftp.on('REALPATH', (reqid, path) => {
    const normal = `/${path
      .split('/')
      .filter((p) => p && p !== '.')
      .join('/')}`;
    sftp.name(reqid, [{ filename: normal, longname: normal, attrs: attrsOf(0) }]);
  });
  const stat = (reqid: number, path: string): void => {
    void files(path).then(
      (bytes) =>
        bytes ? sftp.attrs(reqid, attrsOf(bytes.length)) : sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE),
      () => sftp.status(reqid, STATUS_CODE.FAILURE),
    );
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('OPEN', (reqid, path, flags) => {
    if (flags & (OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC)) {
      sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
      return;
    }
    void files(path).then(
      (bytes) => {
        if (!bytes) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
        const handle = Buffer.alloc(4);
        handle.writeUInt32BE(nextHandle++);
        open.set(handle.toString('hex'), bytes);
        sftp.handle(reqid, handle);
      },
      () => sftp.status(reqid, STATUS_CODE.FAILURE),
    );
  });
  sftp.on('FSTAT', (reqid, handle) => {
    const bytes = open.get(handle.toString('hex'));
    if (bytes) sftp.attrs(reqid, attrsOf(bytes.length));
    else sftp.status(reqid, STATUS_CODE.FAILURE);
  });
  sftp.on('READ', (reqid, handle, offset, length) => {
    const bytes = open.get(handle.toString('hex'));
    if (!bytes) return sftp.status(reqid, STATUS_CODE.FAILURE);
    if (offset >= bytes.length) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.data(reqid, bytes.subarray(offset, Math.min(bytes.length, offset + length)));
  });
  sftp.on('OPENDIR', (reqid, path) => {
    void directories(path).then(
      (names) => {
        if (!names) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
        const handle = Buffer.alloc(4);
        handle.writeUInt32BE(nextHandle++);
        listings.set(handle.toString('hex'), names);
        sftp.handle(reqid, handle);
      },
      () => sftp.status(reqid, STATUS_CODE.FAILURE),
    );
  });
  sftp.on('READDIR', (reqid, handle) => {
    const key = handle.toString('hex');
    if (!listings.has(key)) return sftp.status(reqid, STATUS_CODE.FAILURE);
    const names = listings.get(key);
    if (!names) return sftp.status(reqid, STATUS_CODE.EOF);
    listings.set(key, undefined);
    sftp.name(
      reqid,
      names.map((filename) => ({ filename, longname: `-r--r--r-- 1 0 0 0 ${filename}`, attrs: attrsOf(0) })),
    );
  });
  sftp.on('CLOSE', (reqid, handle) => {
    open.delete(handle.toString('hex'));
    listings.delete(handle.toString('hex'));
    sftp.status(reqid, STATUS_CODE.OK);
  });
  for (const op of ['WRITE', 'REMOVE', 'RENAME', 'MKDIR', 'RMDIR', 'SETSTAT', 'FSETSTAT'] as const)
    sftp.on(op, (reqid: number) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED));
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
