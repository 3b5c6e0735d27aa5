import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Client, type SFTPWrapper } from 'ssh2';
import type { SftpEndpoint } from '../reconciliation.config';

/** The file is not there (yet): Alipay makes T-day files on T+1. */
export class StatementUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementUnavailableError';
  }
}

/**
 * Opens one file over SFTP (ssh2), hands its byte stream to `use`, and closes the connection after. The
 * server must show the configured host key (SHA-256), so a file is never read from an impostor.
 */
export async function withSftpFile<T>(
  endpoint: SftpEndpoint,
  path: string,
  use: (stream: Readable) => Promise<T>,
): Promise<T> {
  const client = new Client();
  try {
    const sftp = await connect(client, endpoint);
    await new Promise<void>((resolve, reject) =>
      sftp.stat(path, (err) =>
        err ? reject(new StatementUnavailableError(`${path}: ${err.message}`)) : resolve(),
      ),
    );
    return await use(sftp.createReadStream(path));
  } finally {
    client.end();
  }
}

/** The file names in a directory over SFTP (AMS settlement names carry a batch id: they are listed). */
export async function listSftpDirectory(endpoint: SftpEndpoint, path: string): Promise<string[]> {
  const client = new Client();
  try {
    const sftp = await connect(client, endpoint);
    return await new Promise<string[]>((resolve, reject) =>
      sftp.readdir(path, (err, list) =>
        err
          ? reject(new StatementUnavailableError(`${path}: ${err.message}`))
          : resolve(list.map((entry) => entry.filename)),
      ),
    );
  } finally {
    client.end();
  }
}

function connect(client: Client, endpoint: SftpEndpoint): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    client
      .once('ready', () => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))))
      .once('error', reject)
      .connect({
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        password: endpoint.password,
        readyTimeout: 15_000,
        hostVerifier: (key: Buffer) =>
          endpoint.hostKeySha256 === undefined ||
          createHash('sha256').update(key).digest('base64').replace(/=+$/, '') === endpoint.hostKeySha256,
      });
  });
}
