import {
  amsTransactionItemsPath,
  parseAmsTransactionItems,
  startSandbox,
  type RunningSandbox,
} from '@switch/alipay';
import { withSftpFile, StatementUnavailableError } from './sftp-file';

/** The real SFTP leg against the sandbox's ssh2 server: host key pinned, password login, missing files. */
describe('withSftpFile', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  const path = () => amsTransactionItemsPath(sandbox.credentials.ams.clientId, '2026-03-04');

  it('reads a day file from a server showing the pinned host key', async () => {
    const entries = await withSftpFile(sandbox.sftp, path(), async (stream) => {
      const out = [];
      for await (const batch of parseAmsTransactionItems(stream)) out.push(...batch);
      return out;
    });
    expect(entries).toEqual([]);
  });

  it('refuses a server whose host key is not the pinned one', async () => {
    await expect(
      withSftpFile(
        { ...sandbox.sftp, hostKeySha256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        path(),
        () => Promise.resolve('read'),
      ),
    ).rejects.toThrow();
  });

  it('refuses a wrong password, and says when the file is not there', async () => {
    await expect(
      withSftpFile({ ...sandbox.sftp, password: 'wrong' }, path(), () => Promise.resolve(1)),
    ).rejects.toThrow(/authentication/i);
    await expect(
      withSftpFile(sandbox.sftp, '/v1/settlements/nobody/20260304/transactionItems_20260304_000.csv', () =>
        Promise.resolve(1),
      ),
    ).rejects.toBeInstanceOf(StatementUnavailableError);
  });
});
